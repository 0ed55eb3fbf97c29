/**
 * DICOM SEG in the browser (inside the image-reader worker): itk-wasm's
 * `readSegmentation`, from the app's own copy of the pipeline (set by
 * `setItkPipelinesBaseUrl` in io-browser.ts before the first read).
 */
import { readSegmentation } from '@itk-wasm/dicom';
import { ImageFileError } from '../image/sniff.js';
import { segmentationLabels } from './labelmap.js';
import type { SegmentationLabels } from './plan.js';

/** A DICOM SEG's label image(s) and segments, or one line naming the file. */
export async function readSegmentationFromBytes(name: string, bytes: Uint8Array): Promise<SegmentationLabels> {
  let res;
  try {
    // webWorker: false runs the pipeline in the calling thread, already a worker
    res = await readSegmentation({ path: 'seg.dcm', data: bytes.slice() }, { webWorker: false });
  } catch (e) {
    throw new ImageFileError(name, `itk-wasm cannot read this DICOM SEG (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  return segmentationLabels(res, name);
}
