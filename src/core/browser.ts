/**
 * The public API for the app's Web Workers: everything in `./index.ts` and
 * the browser's image readers (itk-wasm pipelines served by the app itself).
 */
export * from './index.js';
export { readDicomSeriesFromBytes, readVolumeFromBytes, setItkPipelinesBaseUrl, type InMemoryFile } from './image/io-browser.js';
export { readSegmentationFromBytes } from './import/seg-browser.js';
