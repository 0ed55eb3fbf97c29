/** The one image-reader worker of the page, started on first use and restarted if it dies. */
import * as Comlink from 'comlink';
import type { ImageReaderApi } from '../../workers/image-reader-api.js';

let reader: Comlink.Remote<ImageReaderApi> | null = null;
let crashListener: ((reason: string) => void) | null = null;

/** Called when the worker dies (e.g. out of memory): its pending calls will never answer. */
export function onReaderCrash(listener: (reason: string) => void): void {
  crashListener = listener;
}

export function imageReader(): Comlink.Remote<ImageReaderApi> {
  if (!reader) {
    const worker = new Worker(new URL('../../workers/image-reader.worker.ts', import.meta.url), { type: 'module', name: 'image-reader' });
    const remote = Comlink.wrap<ImageReaderApi>(worker);
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      worker.terminate();
      if (reader === remote) reader = null;
      crashListener?.(e.message || 'the image reader stopped unexpectedly');
    });
    reader = remote;
  }
  return reader;
}
