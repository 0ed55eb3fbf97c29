/**
 * Image reading and writing in Node (CLI, tests, benchmarks) through itk-wasm's
 * Node pipelines, which load their WebAssembly from node_modules: no network.
 * Not exported from `src/core/index.ts` (it needs `node:fs`); import it from
 * `src/core/node.ts`.
 */
import { readFile, readdir, rename, rm, stat, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Image } from 'itk-wasm';
import { pipelinePath, runItkPipeline } from './itk-pipeline-node.js';
import { imageToVolume, volumeToImage } from './itk-image.js';
import { checkImageHeader, formatFromName, ImageFileError, type FastGunzipLength, type HeaderSummary, type ImageFormat } from './sniff.js';
import { checkGeometry, checkVolumeBudget, restoreNonFiniteFromNifti, type Geometry } from './guard.js';
import { isNifti2, nifti2ToNifti1 } from './nifti2.js';
import { nrrdDataBytes, parseNrrdHeader, readNrrd } from './nrrd-read.js';
import { readNifti } from './nifti-read.js';
import type { Vec3, Volume } from './volume.js';

function describe(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0]!; // split gives at least one part
  if (typeof e === 'number') return `the reader failed (itk-wasm code ${e})`;
  return String(e).split('\n')[0]!;
}

/**
 * A detached header (.nhdr `data file:`, .mhd `ElementDataFile =`) must name an
 * existing file next to it; otherwise ITK fails with only an error code.
 * Lists and numbered patterns (`LIST`, `%`) are left to the reader.
 */
async function checkDetachedData(file: string, abs: string, bytes: Uint8Array): Promise<void> {
  const start = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  const text = start.startsWith('NRRD') ? start.split(/\r?\n\r?\n/)[0]! : start; // NRRD: the header ends at the first blank line
  const m = /^(?:data ?file|datafile):\s*(.+?)\s*$/im.exec(text) ?? /^ElementDataFile\s*=\s*(.+?)\s*$/m.exec(text);
  const name = m?.[1];
  if (name === undefined || /^(LOCAL|LIST)\b/i.test(name) || name.includes('%')) return;
  const data = path.resolve(path.dirname(abs), name);
  const st = await stat(data).catch(() => null);
  if (!st?.isFile()) throw new ImageFileError(file, `the data file "${name}" named by the header does not exist`);
}

/** image-io's reader/writer pipeline prefix for each format (its `extension-to-image-io` table, for the formats read here). */
const IMAGE_IO: Record<Exclude<ImageFormat, 'dicom'>, string> = { nifti: 'nifti', nrrd: 'nrrd', metaimage: 'meta' };
const IMAGE_IO_PKG = '@itk-wasm/image-io';

/** The run's error text: ITK's stderr when it failed with one, else null. */
function failure(r: { returnValue: number; stderr: string }): Error | null {
  return r.returnValue !== 0 && r.stderr !== '' ? new Error(r.stderr) : null;
}

/**
 * Read `file` (a path ITK can read) with image-io's pipeline for `format`, on
 * the process's one instance of that pipeline (itk-pipeline-node.ts).
 */
async function itkReadImage(file: string, format: Exclude<ImageFormat, 'dicom'>, informationOnly = false): Promise<Image> {
  const args = [file, '0', '1', '--memory-io', ...(informationOnly ? ['--information-only'] : [])];
  const r = await runItkPipeline(pipelinePath(IMAGE_IO_PKG, `${IMAGE_IO[format]}-read-image`), args, [{ type: 'JsonCompatible' }, { type: 'Image' }], [], [path.dirname(file)]);
  const err = failure(r);
  if (err) throw err;
  const image = r.outputs[1]?.data;
  if (!r.outputs[0]?.data || !image) throw new Error(`Could not read: ${file}`);
  return image as Image;
}

/**
 * `fn` on a path ITK can read: the file itself, or for NIfTI-2 (which ITK's
 * reader does not take) a temporary NIfTI-1 copy; returns the bytes read too.
 */
async function onItkReadablePath<T>(file: string, abs: string, bytes: Uint8Array, fn: (p: string, bytes: Uint8Array) => Promise<T>): Promise<T> {
  if (!isNifti2(bytes)) return fn(abs, bytes);
  const nii = nifti2ToNifti1(file, bytes);
  const dir = await mkdtemp(path.join(tmpdir(), 'habitat-nifti2-'));
  try {
    const p = path.join(dir, 'image.nii');
    await writeFile(p, nii);
    return await fn(p, nii);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function statOrMissing(file: string, abs: string) {
  try {
    return await stat(abs);
  } catch {
    throw new ImageFileError(file, 'no such file or folder');
  }
}

/**
 * zlib's inflate for the header checks' gzip integrity test (fflate's, in
 * JavaScript, took longer than the read itself); stops counting past `atLeast`.
 */
const nativeGunzipLength: FastGunzipLength = (bytes, atLeast) => {
  try {
    // one output chunk of the expected size: zlib's default 16 KiB chunks cost a JavaScript turn and a copy each
    const chunkSize = Math.min(Math.max(Number.isFinite(atLeast) ? atLeast + 1 : 0, 1 << 16), 1 << 28);
    return gunzipSync(bytes, Number.isFinite(atLeast) ? { maxOutputLength: Math.max(1, atLeast), chunkSize } : { chunkSize }).length;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? atLeast : null;
  }
};

/**
 * zlib's inflate of a whole gzip stream, the last result kept: the header
 * check's integrity test of a gzip NRRD or NIfTI and the TypeScript reader
 * then inflate it once.
 */
function inflateOnce(expectedBytes = 0): { inflate: (gz: Uint8Array) => Uint8Array | null; gunzipLength: FastGunzipLength } {
  let last: { src: Uint8Array; out: Uint8Array | null } | null = null;
  // one output chunk of the expected size: no 16 KiB chunks joined at the end, and the result is one buffer of its own
  const chunkSize = Math.min(Math.max(expectedBytes, 1 << 16), 1 << 30);
  const inflate = (src: Uint8Array) => {
    if (last?.src.buffer !== src.buffer || last.src.byteOffset !== src.byteOffset || last.src.length !== src.length) {
      let out: Uint8Array | null = null;
      try {
        out = gunzipSync(src, { chunkSize });
      } catch {
        out = null;
      }
      last = { src, out };
    }
    return last.out;
  };
  const gunzipLength: FastGunzipLength = (bytes) => inflate(bytes)?.length ?? null;
  return { inflate, gunzipLength };
}

/** A gzip file's size field (its uncompressed size modulo 2^32, of the last member): a hint only. */
function gzipSizeField(bytes: Uint8Array): number {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return 0;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true);
}

/** Which reader read the last files (tests): `typescript` (nrrd-read.ts) or `itk-wasm`. */
export const readerStats = { typescript: 0, itkWasm: 0 };

/**
 * Read a NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr), MetaImage (.mha, .mhd)
 * file, or a DICOM series (a folder of .dcm files, or a single .dcm file).
 * A NRRD or NIfTI file of the common kind (nrrd-read.ts, nifti-read.ts) is read in TypeScript,
 * sparing the process itk-wasm's pipeline (its WebAssembly compiled at
 * the first read, and the voxels copied out of its heap); every other file,
 * and any NRRD that reader declines, through itk-wasm. `itk: true` forces
 * itk-wasm (tests compare the two).
 */
export async function readVolume(file: string, opts: { itk?: boolean } = {}): Promise<Volume> {
  const abs = path.resolve(file);
  const st = await statOrMissing(file, abs);
  if (st.isDirectory()) return readDicomFolder(file, abs);
  const bytes = new Uint8Array(await readFile(abs));
  const byName = opts.itk ? null : formatFromName(file);
  const nrrd = byName === 'nrrd' ? parseNrrdHeader(bytes) : null;
  const gz = inflateOnce(nrrd?.gzip ? nrrdDataBytes(nrrd) : byName === 'nifti' ? gzipSizeField(bytes) : 0);
  // a gzip NIfTI inflated here once, whole, for the header check and the read (null when it is corrupt: the check says so)
  const inflated = byName === 'nifti' && bytes[0] === 0x1f && bytes[1] === 0x8b ? (gz.inflate(bytes) ?? undefined) : undefined;
  const header = checkImageHeader(file, bytes, { gunzipLength: byName ? gz.gunzipLength : nativeGunzipLength, inflated });
  const format = header.format;
  if (format === 'dicom') return readDicomFiles(file, [abs]);
  const fast = nrrd && format === 'nrrd' ? readNrrd(file, bytes, gz.inflate, nrrd) : byName === 'nifti' && format === 'nifti' ? readNifti(file, bytes, gz.inflate) : null;
  if (fast) {
    readerStats.typescript++;
    checkGeometry(file, fast);
    fast.metadata = { source: file, format };
    return fast;
  }
  readerStats.itkWasm++;
  await checkDetachedData(file, abs, bytes);
  const v = await onItkReadablePath(file, abs, bytes, async (p, readBytes) => {
    let img;
    try {
      img = await itkReadImage(p, format);
    } catch (e) {
      throw new ImageFileError(file, `could not be read as ${header.format}: ${describe(e)}`);
    }
    const vol = imageToVolume(img, file);
    if (header.format === 'nifti') restoreNonFiniteFromNifti(vol, readBytes);
    return vol;
  });
  checkGeometry(file, v);
  v.metadata = { source: file, format: header.format };
  return v;
}

export interface ImageHeaderInfo extends Omit<HeaderSummary, 'size'>, Geometry {
  file: string;
}

/**
 * The header and geometry of an image file without decoding its voxels (the
 * header checks of `checkImageHeader`, then nrrd-read.ts's header parse or
 * itk-wasm's information-only read; `itk: true` forces the latter),
 * refused when the decoded volume would exceed `budgetBytes`. DICOM series
 * (folders or .dcm files) have no cheap header here: use `readVolume`.
 */
export async function readImageHeader(file: string, budgetBytes?: number, opts: { itk?: boolean } = {}): Promise<ImageHeaderInfo> {
  const abs = path.resolve(file);
  const st = await statOrMissing(file, abs);
  if (st.isDirectory()) throw new ImageFileError(file, 'a folder (DICOM series) has no single header; read it with readVolume');
  const bytes = new Uint8Array(await readFile(abs));
  const header = checkImageHeader(file, bytes, { gunzipLength: nativeGunzipLength });
  if (budgetBytes !== undefined) checkVolumeBudget(header, budgetBytes, file);
  const nrrd = header.format === 'nrrd' && !opts.itk ? parseNrrdHeader(bytes) : null;
  if (nrrd) {
    const { size, spacing, origin, direction } = nrrd;
    const info: ImageHeaderInfo = { ...header, file, size, spacing, origin, direction };
    checkGeometry(file, info);
    return info;
  }
  await checkDetachedData(file, abs, bytes);
  const format = header.format;
  if (format === 'dicom') throw new ImageFileError(file, 'a DICOM file has no single-file header here; read the series with readVolume');
  let img;
  try {
    img = await onItkReadablePath(file, abs, bytes, (p) => itkReadImage(p, format, true));
  } catch (e) {
    if (e instanceof ImageFileError) throw e;
    throw new ImageFileError(file, `could not be read as ${header.format}: ${describe(e)}`);
  }
  const dim = img.imageType.dimension;
  if (dim !== 2 && dim !== 3) throw new ImageFileError(file, `${dim}-D images are not supported (2-D or 3-D only)`);
  if (img.imageType.components !== 1) throw new ImageFileError(file, `${img.imageType.components}-component images are not supported; give a scalar image`);
  const three = <T>(a: ArrayLike<T>, fill: T): Vec3 => (dim === 3 ? [a[0], a[1], a[2]] : [a[0], a[1], fill]) as unknown as Vec3;
  const direction = new Float64Array(9);
  const d = img.direction as unknown as ArrayLike<number>;
  if (dim === 3) direction.set(Array.from(d));
  else direction.set([d[0]!, d[1]!, 0, d[2]!, d[3]!, 0, 0, 0, 1]);
  for (let n = 0; n < 9; n++) if (direction[n] === 0) direction[n] = 0;
  const info: ImageHeaderInfo = {
    ...header,
    file,
    size: three(img.size, 1),
    spacing: three(img.spacing, 1),
    origin: three(img.origin, 0),
    direction,
  };
  checkGeometry(file, info);
  return info;
}

async function readDicomFolder(label: string, abs: string): Promise<Volume> {
  const names = (await readdir(abs)).filter((n) => !n.startsWith('.')).sort();
  const files: string[] = [];
  for (const n of names) {
    const p = path.join(abs, n);
    const s = await stat(p);
    if (!s.isFile()) continue;
    const head = new Uint8Array(await readFile(p)).subarray(0, 132);
    if (head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d) files.push(p);
  }
  if (files.length === 0) throw new ImageFileError(label, 'the folder holds no DICOM files');
  return readDicomFiles(label, files);
}

/**
 * @itk-wasm/dicom's series reader (its `readImageDicomFileSeriesNode`, with
 * the same arguments) on the process's one instance of that pipeline.
 */
export async function readDicomSeries(files: string[], singleSortedSeries = false): Promise<{ outputImage: Image; sortedFilenames: unknown }> {
  const args = ['0', '1', '--memory-io', '--input-images', ...files, ...(singleSortedSeries ? ['--single-sorted-series'] : [])];
  const r = await runItkPipeline(pipelinePath('@itk-wasm/dicom', 'read-image-dicom-file-series'), args, [{ type: 'Image' }, { type: 'JsonCompatible' }], [], files.map((f) => path.dirname(f)));
  const err = failure(r);
  if (err) throw err;
  return { outputImage: r.outputs[0]?.data as Image, sortedFilenames: r.outputs[1]?.data };
}

/**
 * @itk-wasm/dicom's DICOM SEG reader (its `readSegmentationNode`, with the same
 * arguments) on the process's one instance of that pipeline: the label image
 * and the segments' metadata.
 */
export async function readDicomSegmentation(file: string): Promise<{ segImage: Image; metaInfo: unknown }> {
  const abs = path.resolve(file); // itk-wasm mounts the file's folder: an absolute path
  const r = await runItkPipeline(pipelinePath('@itk-wasm/dicom', 'read-segmentation'), [abs, '0', '1', '--memory-io'], [{ type: 'Image' }, { type: 'JsonCompatible' }], [], [path.dirname(abs)]);
  const err = failure(r);
  if (err) throw err;
  return { segImage: r.outputs[0]?.data as Image, metaInfo: r.outputs[1]?.data };
}

async function readDicomFiles(label: string, files: string[]): Promise<Volume> {
  const { checkDicomSlice } = await import('./dicom-scan.js'); // with dicom-parser, loaded for DICOM only
  for (const f of files) checkDicomSlice(files.length === 1 ? label : path.join(label, path.basename(f)), new Uint8Array(await readFile(f)));
  let res;
  try {
    res = await readDicomSeries(files);
  } catch (e) {
    throw new ImageFileError(label, `could not be read as a DICOM series: ${describe(e)}`);
  }
  const v = imageToVolume(res.outputImage, label);
  checkGeometry(label, v);
  // Privacy: no DICOM header field (patient name, ID, birth date, …) is kept, so none can reach an export (docs/study.md).
  v.metadata = { source: label, format: 'dicom', files: String(files.length) };
  return v;
}

/** Extensions of single-file formats: written under a plain temporary name beside the target, then renamed to it. */
const SINGLE_FILE = ['.nii.gz', '.nii', '.nrrd', '.mha'];
/** image-io's writer for a target name (its extension table, for the formats written here). */
const WRITER: [string, string][] = [['.nii.gz', 'nifti'], ['.nii', 'nifti'], ['.hdr', 'nifti'], ['.nrrd', 'nrrd'], ['.nhdr', 'nrrd'], ['.mha', 'meta'], ['.mhd', 'meta']];

async function itkWriteImage(image: Image, file: string, useCompression: boolean): Promise<void> {
  const io = WRITER.find(([e]) => file.toLowerCase().endsWith(e))?.[1];
  if (!io) throw new Error('no image writer for this name; use .nii.gz, .nii, .nrrd or .mha');
  const args = ['0', '0', file, '--memory-io', ...(useCompression ? ['--use-compression'] : [])];
  const r = await runItkPipeline(pipelinePath(IMAGE_IO_PKG, `${io}-write-image`), args, [{ type: 'JsonCompatible' }], [{ type: 'Image', data: image }], [path.dirname(file)]);
  const err = failure(r);
  if (err) throw err;
  if (!r.outputs[0]?.data) throw new Error(`Could not write: ${file}`);
}
let writeCount = 0;

/**
 * Write a volume to exactly `file`; the format follows the extension (.nii.gz,
 * .nii, .nrrd, .mha). ITK's writers derive their own file name from the one
 * given (`a.nii.nii.gz` becomes `a.nii.gz`, `a.hdr.nii.gz` becomes `a.hdr.gz`),
 * so single-file formats are written under a plain temporary name in the same
 * folder and renamed; any other name that does not come out as given is refused.
 */
export async function writeVolume(v: Volume, file: string): Promise<void> {
  const abs = path.resolve(file);
  const ext = SINGLE_FILE.find((e) => abs.endsWith(e));
  const target = ext ? path.join(path.dirname(abs), `.habitat-write-${process.pid}-${++writeCount}${ext}`) : abs;
  try {
    await itkWriteImage(volumeToImage(v), target, file.endsWith('.gz') || file.endsWith('.nrrd') || file.endsWith('.mha'));
    if (ext) await rename(target, abs);
  } catch (e) {
    if (ext) await rm(target, { force: true });
    throw new ImageFileError(file, `could not be written: ${describe(e)}`);
  }
  if (!ext && !(await stat(abs).catch(() => null))?.isFile()) {
    throw new ImageFileError(file, `the image writer did not write this name; use .nii.gz, .nii, .nrrd or .mha`);
  }
}
