/**
 * Module worker that reads image series (files or demo patients) off the UI
 * thread: header check (sniff.ts), itk-wasm reader (io-browser.ts), then NIfTI
 * bytes for NiiVue (nifti-write.ts). Every failure becomes a one-line message
 * naming the file; the worker itself keeps running.
 */
import * as Comlink from 'comlink';
import {
  applyHabitatModel,
  defaultImportRules,
  describeGeometryMismatch,
  formatFromName,
  importToNiftiFiles,
  intensityRange,
  mapSeries,
  maskAgreement,
  readDicomSeriesFromBytes,
  readSegmentationFromBytes,
  readVolumeFromBytes,
  scanExport,
  setItkPipelinesBaseUrl,
  withData,
  writeNiftiBytes,
  type ImportScan,
  type InMemoryFile,
  type PreparedPatient,
  type Volume,
} from '../src/core/browser.js';
import { generateDemoPatient, type DemoPatient, type DemoSequence } from '../src/demo/demo.js';
import type { ExportReview, ImageReaderApi, SeriesRequest, SeriesResult, VolumeSummary } from './image-reader-api.js';
import { workbenchDb } from './study-db.js';
import { appFileUrl } from './app-base.js';

// The pipelines are copied into the app under itk/ (vite.config.ts); the URL must be absolute.
setItkPipelinesBaseUrl(appFileUrl('itk'));

const CACHE_LIMIT = 12;
const volumes = new Map<string, Volume>();
let lastDemo: { key: string; patient: DemoPatient } | null = null;

function remember(key: string, v: Volume): void {
  volumes.delete(key);
  volumes.set(key, v);
  while (volumes.size > CACHE_LIMIT) volumes.delete(volumes.keys().next().value as string);
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : typeof e === 'number' ? `the reader failed (itk-wasm code ${e})` : String(e);
  return text.split('\n')[0] ?? '';
}

async function readFiles(label: string, files: File[]): Promise<Volume> {
  const inMemory: InMemoryFile[] = await Promise.all(
    files.map(async (f) => ({ name: files.length === 1 ? label : `${label}/${f.name}`, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  const [only] = inMemory;
  if (only && inMemory.length === 1) return readVolumeFromBytes(only);
  return readDicomSeriesFromBytes(label, inMemory);
}

function demoVolume(req: Extract<SeriesRequest['source'], { kind: 'demo' }>): Volume {
  const key = `${req.seed}/${req.patients}/${req.patientIndex}`;
  if (!lastDemo || lastDemo.key !== key) {
    lastDemo = { key, patient: generateDemoPatient(req.patientIndex, { patients: req.patients, seed: req.seed }) };
  }
  const p = lastDemo.patient;
  if (req.series === 'mask') return p.mask;
  if (req.series === 'mask2' && p.mask2) return p.mask2;
  const v = p.series[req.series as DemoSequence];
  if (!v) throw new Error(`demo patient ${p.id} has no series "${req.series}"`);
  return v;
}

function summarise(v: Volume): VolumeSummary {
  let nonzero = 0;
  for (let n = 0; n < v.data.length; n++) if (v.data[n] !== 0) nonzero++;
  const [lo, hi] = intensityRange(v.data);
  return {
    size: [...v.size],
    spacing: [...v.spacing],
    origin: [...v.origin],
    direction: Array.from(v.direction),
    voxelType: v.data.constructor.name.replace('Array', '').toLowerCase(),
    format: v.metadata?.format ?? 'generated',
    range: [lo, hi],
    nonzeroVoxels: nonzero,
    nonzeroVolumeMl: (nonzero * v.spacing[0] * v.spacing[1] * v.spacing[2]) / 1000,
  };
}

async function volumeOf(req: SeriesRequest): Promise<Volume> {
  const v = volumes.get(req.key) ?? (req.source.kind === 'files' ? await readFiles(req.label, req.source.files) : demoVolume(req.source));
  remember(req.key, v);
  return v;
}

/** 64-bit FNV-1a-style hash (16 hex digits) of voxel labels and their grid size. */
function labelFingerprint(data: Uint8Array, size: readonly number[]): string {
  const [nx = 0, ny = 0, nz = 0] = size;
  let h1 = 0x811c9dc5 ^ nx;
  let h2 = 0x01000193 ^ Math.imul(ny, 31) ^ Math.imul(nz, 1009);
  data.forEach((v, n) => {
    h1 = Math.imul(h1 ^ v, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ (v + 0x9e37 + (n & 0xffff)), 2246822519) >>> 0;
  });
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

let lastExport: { scan: ImportScan; files: Map<string, File> } | null = null;

const folderOf = (p: string) => p.split('/').slice(0, -1).join('/');

const api: ImageReaderApi = {
  async scanExport(dropped, onProgress) {
    const files = new Map(dropped.map((d) => [d.path, d.file]));
    const scan = await scanExport(
      dropped.map((d) => ({ path: d.path, read: async () => new Uint8Array(await d.file.arrayBuffer()) })),
      onProgress && ((done, total) => void onProgress(done, total)),
    );
    lastExport = { scan, files };
    const rules = defaultImportRules();
    const seriesPerFolder = new Map<string, Set<string>>();
    for (const s of scan.series) for (const f of s.files) {
      const k = folderOf(f.path);
      const keys = seriesPerFolder.get(k) ?? new Set<string>();
      keys.add(s.key);
      seriesPerFolder.set(k, keys);
    }
    const isExport =
      scan.structureSets.length > 0 ||
      scan.segmentations.length > 0 ||
      dropped.some((d) => /(^|\/)DICOMDIR$/i.test(d.path)) ||
      [...seriesPerFolder.values()].some((set) => set.size > 1);
    const review: ExportReview = {
      isExport,
      sequences: rules.sequences,
      series: scan.series.map((s) => ({
        key: s.key,
        patientId: s.patientId,
        seriesNumber: s.seriesNumber,
        description: s.description,
        protocol: s.protocol,
        orientation: s.orientation,
        matrix: [...s.matrix],
        spacing: [...s.spacing],
        slices: s.slices,
        contrast: s.contrast,
        fatSat: s.fatSat,
        notAVolume: s.notAVolume,
      })),
      mappings: mapSeries(scan.series, rules),
      rois: scan.rois,
      notes: [...scan.other.map((o) => `${o.path}: ${o.what}`), ...scan.unreadable.map((u) => `${u.path}: ${u.problem}`)],
    };
    return review;
  },
  async importExport(req, onProgress) {
    if (!lastExport) throw new Error('no export scanned');
    const { scan, files } = lastExport;
    const read = async (p: string) => {
      const f = files.get(p);
      if (!f) throw new Error(`${p}: no longer available`);
      return new Uint8Array(await f.arrayBuffer());
    };
    const res = await importToNiftiFiles(scan, req.mappings, { voi: req.voi, voi2: req.voi2, reference: req.reference }, {
      read,
      readCompressedSeries: async (paths, label) => readDicomSeriesFromBytes(label, await Promise.all(paths.map(async (p) => ({ name: p, bytes: await read(p) })))),
      readSegmentation: async (p) => readSegmentationFromBytes(p, await read(p)),
    }, onProgress);
    const out = { files: res.files.map((f) => ({ path: f.path, bytes: f.bytes.slice().buffer as ArrayBuffer })), imported: res.imported, problems: res.problems };
    return Comlink.transfer(out, out.files.map((f) => f.bytes));
  },
  async drawnMask(req) {
    try {
      const grid = await volumeOf(req.grid);
      if (req.data.length !== grid.data.length) {
        return { ok: false, message: `${req.label}: the drawing has ${req.data.length} voxels, ${req.grid.label} has ${grid.data.length}` };
      }
      const mask = withData(grid, Uint8Array.from(req.data));
      const fingerprint = labelFingerprint(mask.data as Uint8Array, mask.size);
      const key = `voi-drawn:${req.patientId}:${fingerprint}`;
      remember(key, mask);
      const gz = writeNiftiBytes(mask, { gzip: true, description: `${req.patientId} VOI drawn in Habitat Workbench` });
      const s = summarise(mask);
      const result = { ok: true as const, key, gz: gz.slice().buffer as ArrayBuffer, fingerprint, voxels: s.nonzeroVoxels, volumeMl: s.nonzeroVolumeMl };
      return Comlink.transfer(result, [result.gz]);
    } catch (e) {
      return { ok: false, message: `${req.label}: ${oneLine(e)}` };
    }
  },
  async agreement(a, b) {
    try {
      const [va, vb] = await Promise.all([volumeOf(a), volumeOf(b)]);
      const mismatch = describeGeometryMismatch(va, vb);
      if (mismatch) return { ok: false, message: `${b.label} is not on the grid of ${a.label} (${mismatch})` };
      return { ok: true, agreement: maskAgreement(va.data, vb.data, (va.spacing[0] * va.spacing[1] * va.spacing[2]) / 1000) };
    } catch (e) {
      return { ok: false, message: `${a.label} / ${b.label}: ${oneLine(e)}` };
    }
  },
  async editedMask(req) {
    try {
      const original = await volumeOf(req.original);
      if (req.data.length !== original.data.length) {
        return { ok: false, message: `${req.label}: the drawing has ${req.data.length} voxels, ${req.original.label} has ${original.data.length}` };
      }
      // Same voxel type as the original mask, so an unedited VOI is written back unchanged.
      const Type = original.data.constructor as new (values: ArrayLike<number>) => Volume['data'];
      const edited = withData(original, new Type(req.data));
      let identical = true;
      for (let n = 0; n < edited.data.length && identical; n++) identical = edited.data[n] === original.data[n];
      const fingerprint = labelFingerprint(req.data, original.size);
      const key = `voi-edit:${req.patientId}:${fingerprint}`;
      remember(key, edited);
      const gz = writeNiftiBytes(edited, { gzip: true, description: `${req.patientId} VOI edited in Habitat Workbench` });
      const result = {
        ok: true as const,
        key,
        gz: gz.slice().buffer as ArrayBuffer,
        fingerprint,
        voxels: summarise(edited).nonzeroVoxels,
        originalVoxels: summarise(original).nonzeroVoxels,
        identical,
      };
      return Comlink.transfer(result, [result.gz]);
    } catch (e) {
      return { ok: false, message: `${req.label}: ${oneLine(e)}` };
    }
  },
  async loadSeries(req: SeriesRequest): Promise<SeriesResult> {
    try {
      // Keys are unique per dropped series (and fixed per demo series), so a cached volume is the same data.
      const v = await volumeOf(req);
      const bytes = writeNiftiBytes(v, { description: req.label });
      const result: SeriesResult = { ok: true, key: req.key, label: req.label, nifti: bytes.buffer as ArrayBuffer, summary: summarise(v) };
      return Comlink.transfer(result, [result.nifti]);
    } catch (e) {
      let message = oneLine(e);
      // Messages from the header check already start with the file name.
      if (!message.startsWith(req.label)) message = `${req.label}: ${message}`;
      if (req.source.kind === 'files' && req.source.files.length === 1 && formatFromName(req.label) === null && !/not a recognised image/.test(message)) {
        message += ' (unrecognised file extension)';
      }
      return { ok: false, key: req.key, label: req.label, message };
    }
  },
  async habitatMap(req) {
    const label = `${req.patientId} ${req.model.sequence} habitats`;
    try {
      const prepared = (await (await workbenchDb()).get('cache', req.preparedKey)) as PreparedPatient | undefined;
      if (!prepared) return { ok: false, key: req.preparedKey, label, message: `${label}: the prepared images are not in the study cache (run the study again)` };
      const map = applyHabitatModel(req.model, { images: prepared.images, mask: prepared.mask }, req.patientId);
      const bytes = writeNiftiBytes(map.labels, { description: label });
      const result: SeriesResult = { ok: true, key: req.preparedKey, label, nifti: bytes.buffer as ArrayBuffer, summary: summarise(map.labels), labelCounts: [...map.voxelCounts] };
      return Comlink.transfer(result, [result.nifti]);
    } catch (e) {
      return { ok: false, key: req.preparedKey, label, message: `${label}: ${oneLine(e)}` };
    }
  },
  async compareGeometry(imageKey: string, maskKey: string): Promise<string | null> {
    const image = volumes.get(imageKey);
    const mask = volumes.get(maskKey);
    if (!image || !mask) return null;
    return describeGeometryMismatch(image, mask);
  },
};

Comlink.expose(api);
