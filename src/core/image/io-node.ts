/**
 * Image reading and writing in Node (CLI, tests, benchmarks) through itk-wasm's
 * Node pipelines, which load their WebAssembly from node_modules: no network.
 * Not exported from `src/core/index.ts` (it needs `node:fs`); import it from
 * `src/core/node.ts`.
 */
import { readFile, stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { readImageNode, writeImageNode } from '@itk-wasm/image-io';
import { readImageDicomFileSeriesNode } from '@itk-wasm/dicom';
import { imageToVolume, volumeToImage } from './itk-image.js';
import { checkImageHeader, ImageFileError } from './sniff.js';
import type { Volume } from './volume.js';

function describe(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0];
  if (typeof e === 'number') return `the reader failed (itk-wasm code ${e})`;
  return String(e).split('\n')[0];
}

/**
 * Read a NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr), MetaImage (.mha, .mhd)
 * file, or a DICOM series (a folder of .dcm files, or a single .dcm file).
 */
export async function readVolume(file: string): Promise<Volume> {
  const abs = path.resolve(file);
  let st;
  try {
    st = await stat(abs);
  } catch {
    throw new ImageFileError(file, 'no such file or folder');
  }
  if (st.isDirectory()) return readDicomFolder(file, abs);
  const bytes = new Uint8Array(await readFile(abs));
  const header = checkImageHeader(file, bytes);
  if (header.format === 'dicom') return readDicomFiles(file, [abs]);
  let img;
  try {
    img = await readImageNode(abs);
  } catch (e) {
    throw new ImageFileError(file, `could not be read as ${header.format}: ${describe(e)}`);
  }
  const v = imageToVolume(img, file);
  v.metadata = { source: file, format: header.format };
  return v;
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

async function readDicomFiles(label: string, files: string[]): Promise<Volume> {
  let res;
  try {
    res = await readImageDicomFileSeriesNode({ inputImages: files });
  } catch (e) {
    throw new ImageFileError(label, `could not be read as a DICOM series: ${describe(e)}`);
  }
  const v = imageToVolume(res.outputImage, label);
  v.metadata = { source: label, format: 'dicom', files: String(files.length) };
  return v;
}

/** Write a volume; the format follows the extension (.nii.gz, .nii, .nrrd, .mha). */
export async function writeVolume(v: Volume, file: string): Promise<void> {
  try {
    await writeImageNode(volumeToImage(v), path.resolve(file), { useCompression: file.endsWith('.gz') || file.endsWith('.nrrd') || file.endsWith('.mha') });
  } catch (e) {
    throw new ImageFileError(file, `could not be written: ${describe(e)}`);
  }
}
