/**
 * Turn what the user dropped or picked into files with relative paths.
 * Folders are walked through the File System Entry API (drag and drop) or
 * `webkitRelativePath` (folder picker).
 */
import type { DroppedFile } from '../cohort/group-files.js';

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries per call: call until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    out.push({ path, file: await entryFile(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const c of children) await walk(c, path, out);
  }
}

/** Files (and files inside folders) from a drop event's DataTransfer. */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) out.push({ path: f.name, file: f });
    }
  }
  for (const e of entries) await walk(e, '', out);
  if (out.length === 0) for (const f of Array.from(dt.files)) out.push({ path: f.name, file: f });
  return out;
}

/** Files from an <input type="file"> (with or without `webkitdirectory`). */
export function filesFromInput(list: FileList | null): DroppedFile[] {
  if (!list) return [];
  return Array.from(list).map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}
