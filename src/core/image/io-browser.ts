/**
 * Image reading in the browser (inside a Web Worker) through itk-wasm's
 * browser pipelines. The WebAssembly pipelines are served by the app itself;
 * `setItkPipelinesBaseUrl` must be given an absolute same-origin URL (relative
 * URLs fail inside workers) before the first read, or itk-wasm would fetch
 * them from a CDN. Not exported from `src/core/index.ts`: in Node the
 * `@itk-wasm/*` packages resolve to their Node builds (use `./io-node.ts`).
 */
import { readImage, setPipelinesBaseUrl as setImageIoPipelinesBaseUrl } from '@itk-wasm/image-io';
import { readImageDicomFileSeries, setPipelinesBaseUrl as setDicomPipelinesBaseUrl } from '@itk-wasm/dicom';
import { imageToVolume } from './itk-image.js';
import { checkGeometry, checkVolumeBudget, restoreNonFiniteFromNifti } from './guard.js';
import { isNifti2, nifti2ToNifti1 } from './nifti2.js';
import { checkDicomSlice } from './dicom-scan.js';
import { checkImageHeader, ImageFileError } from './sniff.js';
import type { Volume } from './volume.js';

/** One file held in memory: its name (used for the format and in messages) and its bytes. */
export interface InMemoryFile {
  name: string;
  bytes: Uint8Array;
}

let pipelinesBase: string | null = null;

/**
 * Point itk-wasm at the app's own copy of its pipelines: `<base>/image-io`
 * (NIfTI, NRRD, MetaImage, GDCM readers) and `<base>/dicom` (DICOM series).
 */
export function setItkPipelinesBaseUrl(base: string): void {
  if (!/^(https?:|blob:|file:)/.test(base)) {
    throw new Error(`itk-wasm pipelines base URL must be absolute, got "${base}"`);
  }
  const b = base.replace(/\/+$/, '');
  setImageIoPipelinesBaseUrl(`${b}/image-io`);
  setDicomPipelinesBaseUrl(`${b}/dicom`);
  pipelinesBase = b;
}

function requireBase(): void {
  if (pipelinesBase === null) {
    throw new Error('itk-wasm pipelines base URL not set (call setItkPipelinesBaseUrl first); refusing to fetch them from a CDN');
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0]!; // split gives at least one part
  if (typeof e === 'number') return `the reader failed (itk-wasm code ${e})`;
  return String(e).split('\n')[0]!;
}

/**
 * Read one NIfTI, NRRD, MetaImage or single-file DICOM image from memory.
 * The header is checked first so a bad file gives a one-line ImageFileError
 * naming it, never a reader crash.
 */
export async function readVolumeFromBytes(file: InMemoryFile): Promise<Volume> {
  requireBase();
  const header = checkImageHeader(file.name, file.bytes);
  if (header.format === 'dicom') return readDicomSeriesFromBytes(file.name, [file]);
  // A tab has far less memory than a CLI process: refuse from the header alone.
  checkVolumeBudget(header, undefined, file.name);
  // ITK's NIfTI reader takes NIfTI-1 only: a NIfTI-2 file goes in as its NIfTI-1 rewrite
  const nifti2 = header.format === 'nifti' && isNifti2(file.bytes);
  const readBytes = nifti2 ? nifti2ToNifti1(file.name, file.bytes) : file.bytes;
  const itkReadable = nifti2 ? { path: 'image.nii', data: readBytes.slice() } : { path: baseName(file.name), data: file.bytes.slice() };
  let image;
  try {
    // webWorker: false runs the pipeline in the calling thread, which is
    // already a worker: no nested worker to start for a single file.
    const res = await readImage(itkReadable, { webWorker: false });
    image = res.image;
  } catch (e) {
    throw new ImageFileError(file.name, `could not be read as ${header.format}: ${describe(e)}`);
  }
  let v: Volume;
  try {
    v = imageToVolume(image, file.name);
  } catch (e) {
    throw new ImageFileError(file.name, describe(e).replace(`${file.name}: `, ''));
  }
  if (header.format === 'nifti') restoreNonFiniteFromNifti(v, readBytes);
  checkGeometry(file.name, v);
  v.metadata = { source: file.name, format: header.format };
  return v;
}

/** Read the DICOM files of one series (any order) into a volume; `label` names it in messages. */
export async function readDicomSeriesFromBytes(label: string, files: InMemoryFile[]): Promise<Volume> {
  requireBase();
  // Like a DICOM folder on disk, skip what is not DICOM Part 10 (README, DICOMDIR, …).
  const dicom = files.filter((f) => {
    try {
      return checkImageHeader(f.name, f.bytes).format === 'dicom';
    } catch {
      return false;
    }
  });
  if (dicom.length === 0) throw new ImageFileError(label, 'the series holds no DICOM files');
  for (const f of dicom) checkDicomSlice(f.name, f.bytes);
  let res;
  try {
    res = await readImageDicomFileSeries({
      inputImages: dicom.map((f, n) => ({ path: `${n}-${baseName(f.name)}`, data: f.bytes.slice() })),
    });
  } catch (e) {
    throw new ImageFileError(label, `could not be read as a DICOM series: ${describe(e)}`);
  }
  const v = imageToVolume(res.outputImage, label);
  checkGeometry(label, v);
  // Privacy: no DICOM header field (patient name, ID, birth date, …) is kept, so none can reach an export (docs/study.md).
  v.metadata = { source: label, format: 'dicom', files: String(dicom.length) };
  return v;
}

function baseName(name: string): string {
  const n = name.split(/[\\/]/).pop() ?? name;
  return n.length > 0 ? n : 'image';
}
