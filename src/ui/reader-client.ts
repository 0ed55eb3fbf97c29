/** The one image-reader worker of the page, started on first use. */
import * as Comlink from 'comlink';
import type { ImageReaderApi } from '../../workers/image-reader-api.js';

let reader: Comlink.Remote<ImageReaderApi> | null = null;

export function imageReader(): Comlink.Remote<ImageReaderApi> {
  if (!reader) {
    const worker = new Worker(new URL('../../workers/image-reader.worker.ts', import.meta.url), { type: 'module', name: 'image-reader' });
    reader = Comlink.wrap<ImageReaderApi>(worker);
  }
  return reader;
}
