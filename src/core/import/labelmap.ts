/**
 * VOIs that come as labelled voxels rather than contours: DICOM SEG (read by
 * itk-wasm's `readSegmentation`, the header here with dicom-parser) and
 * ITK-SNAP / 3D Slicer label maps (NIfTI, NRRD, `.seg.nrrd`). A segment or
 * label is picked by its label/name or its number, and made into a 0/1 mask on
 * the reference series' grid (docs/import.md).
 */
import * as dicomParserModule from 'dicom-parser';
import type { Image } from 'itk-wasm';
import { imageToVolume } from '../image/itk-image.js';
import { parseDicomBytes } from '../image/dicom-scan.js';
import { describeGeometryMismatch, physicalToIndex, indexToPhysical, sameGeometry, type Volume } from '../image/volume.js';

type DataSet = dicomParserModule.DataSet;
const items = (ds: DataSet, tag: string): DataSet[] => (ds.elements[tag]?.items ?? []).map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
const str = (ds: DataSet, tag: string) => (ds.string(tag) ?? '').trim();

/** One segment (SEG) or label (label map): the voxels of `layer` equal to `value`. */
export interface LabelSegment {
  /** SegmentNumber, or the label value of a label map. */
  number: number;
  /** SegmentLabel / Slicer's Segment<N>_Name; '' when the file names none. */
  name: string;
}

/** The header of a DICOM SEG: segments, frame of reference, series it was drawn on. */
export interface SegHeader {
  path: string;
  label: string;
  frameOfReference: string;
  referencedSeries: string[];
  segments: LabelSegment[];
}

/** Read a SEG's header (segments, frame of reference, referenced series); throws one line naming the file. */
export function parseSegHeader(path: string, bytes: Uint8Array): SegHeader {
  const ds = parseDicomBytes(path, bytes);
  if ('problem' in ds) throw new Error(`${path}: ${ds.problem}`);
  const segments = items(ds, 'x00620002').map((s) => ({ number: Number(s.uint16('x00620004') ?? NaN), name: str(s, 'x00620005') }));
  return {
    path,
    label: str(ds, 'x00700080') || str(ds, 'x0008103e'),
    frameOfReference: str(ds, 'x00200052'),
    referencedSeries: items(ds, 'x00081115').map((r) => str(r, 'x0020000e')).filter((u) => u !== ''),
    segments,
  };
}

/** Names of a 3D Slicer `.seg.nrrd` (Segment<N>_Name / _LabelValue / _Layer in the NRRD header); empty for other files. */
export function slicerSegmentNames(bytes: Uint8Array): { segments: LabelSegment[]; layers: number } {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  if (!head.startsWith('NRRD')) return { segments: [], layers: 1 };
  const text = head.split(/\r?\n\r?\n/)[0]!; // split gives at least one piece
  const kv = new Map<string, string>();
  for (const m of text.matchAll(/^Segment(\d+)_(Name|LabelValue|Layer):=(.*)$/gm)) kv.set(`${m[1]}.${m[2]}`, m[3]!.trim());
  const segments: LabelSegment[] = [];
  const layers = new Set<string>();
  for (let n = 0; kv.has(`${n}.Name`) || kv.has(`${n}.LabelValue`); n++) {
    segments.push({ number: Number(kv.get(`${n}.LabelValue`) ?? n + 1), name: kv.get(`${n}.Name`) ?? '' });
    layers.add(kv.get(`${n}.Layer`) ?? '0');
  }
  return { segments, layers: Math.max(1, layers.size) };
}

/**
 * Segments whose name matches `query` (exact, case-insensitive, first; else a
 * glob with * ? or a /regex/), or, for a query that is a whole number, the
 * segment with that number.
 */
export function findByName<T>(all: readonly T[], query: string, nameOf: (x: T) => string, numberOf?: (x: T) => number | undefined): T[] {
  if (numberOf && /^\d+$/.test(query.trim())) {
    const n = Number(query);
    const byNumber = all.filter((x) => numberOf(x) === n);
    if (byNumber.length > 0) return byNumber;
  }
  const exact = all.filter((x) => nameOf(x).toLowerCase() === query.toLowerCase());
  if (exact.length > 0) return exact;
  let re: RegExp;
  const m = /^\/(.+)\/$/.exec(query);
  if (m) re = new RegExp(m[1]!, 'i');
  else if (/[*?]/.test(query)) re = new RegExp('^' + query.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  else return [];
  return all.filter((x) => re.test(nameOf(x)));
}

type Grid = Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>;

/** Whether every voxel centre of `a` is a voxel centre of `b`'s lattice (same axes and spacing, origin a whole number of voxels off). */
export function onSameLattice(a: Grid, b: Grid, tol = 1e-3): boolean {
  for (let c = 0; c < 9; c++) if (Math.abs(a.direction[c]! - b.direction[c]!) > 1e-4) return false;
  for (let c = 0; c < 3; c++) if (Math.abs(a.spacing[c]! - b.spacing[c]!) > tol * b.spacing[c]!) return false;
  const o = physicalToIndex(b as Volume, a.origin);
  return o.every((x) => Math.abs(x - Math.round(x)) <= tol);
}

export interface PlacedMask {
  mask: Volume;
  /** How the labels reached the grid: 'placed' (same lattice, voxel for voxel) or 'nearest' (resampled). */
  how: 'placed' | 'nearest';
  voxels: number;
}

/**
 * The voxels of `labels` equal to `value` as a 0/1 mask on `grid`. On the same
 * lattice (a SEG holds only the slices its segments cover) the voxels are
 * placed one to one; a labelled voxel outside the grid is an error. Otherwise,
 * when `resample` is allowed, each grid voxel takes the value of the nearest
 * labelled voxel (nearest neighbour); else the mismatch is one line.
 */
export function labelToMask(labels: Volume, value: number, grid: Grid, what: string, resample: boolean): PlacedMask {
  const [nx, ny, nz] = grid.size;
  const out = new Uint8Array(nx * ny * nz);
  const [lx, ly, lz] = labels.size;
  let voxels = 0;
  if (onSameLattice(labels, grid)) {
    const o = physicalToIndex(grid as Volume, labels.origin).map(Math.round);
    let outside = 0;
    for (let k = 0; k < lz; k++)
      for (let j = 0; j < ly; j++)
        for (let i = 0; i < lx; i++) {
          if (labels.data[i + lx * (j + ly * k)] !== value) continue;
          const [a, b, c] = [i + o[0]!, j + o[1]!, k + o[2]!];
          if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) outside++;
          else {
            out[a + nx * (b + ny * c)] = 1;
            voxels++;
          }
        }
    if (outside > 0) throw new Error(`${what}: ${outside} of its voxels lie outside the reference series' grid`);
    return { mask: { ...copyGrid(grid), data: out, metadata: { source: what } }, how: 'placed', voxels };
  }
  if (!resample) {
    const mismatch = describeGeometryMismatch(labels, { ...copyGrid(grid), data: out });
    throw new Error(`${what}: not on the grid of the reference series (${mismatch}); save it on the series it was drawn on`);
  }
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const q = physicalToIndex(labels, indexToPhysical(grid as Volume, i, j, k)).map(Math.round);
        if (q[0]! < 0 || q[1]! < 0 || q[2]! < 0 || q[0]! >= lx || q[1]! >= ly || q[2]! >= lz) continue;
        if (labels.data[q[0]! + lx * (q[1]! + ly * q[2]!)] === value) {
          out[i + nx * (j + ny * k)] = 1;
          voxels++;
        }
      }
  return { mask: { ...copyGrid(grid), data: out, metadata: { source: what } }, how: 'nearest', voxels };
}

function copyGrid(g: Grid): Grid {
  return { size: [...g.size], spacing: [...g.spacing], origin: [...g.origin], direction: Float64Array.from(g.direction) };
}

/** A label map must be on the reference grid exactly (same size too): else one line naming the file. */
export function labelMapOnGrid(labels: Volume, grid: Grid, file: string): void {
  const g = { ...copyGrid(grid), data: new Uint8Array(0) } as Volume;
  if (!sameGeometry(labels, g, 1e-4)) throw new Error(`${file}: the label map is not on the grid of the reference series (${describeGeometryMismatch(labels, g, 1e-4)}); save it on the series it was drawn on`);
}

/** itk-wasm's `readSegmentation` result: the label image(s) and, per group of non-overlapping segments, their attributes. */
export interface ItkSegmentation {
  segImage: Image;
  metaInfo: unknown;
}

/**
 * The segments of itk-wasm's `readSegmentation` result: `segmentAttributes[g]`
 * lists the segments of group g (one image component per group when segments
 * overlap), each the voxels equal to its `labelID` (the SegmentNumber).
 */
export function segmentationLabels(res: ItkSegmentation, file: string): { layers: Volume[]; segments: (LabelSegment & { layer: number; value: number })[] } {
  const img = res.segImage;
  const groups = ((res.metaInfo as { segmentAttributes?: { labelID?: number; SegmentLabel?: string }[][] })?.segmentAttributes ?? []) as { labelID?: number; SegmentLabel?: string }[][];
  const nc = img.imageType.components;
  if (groups.length > nc) throw new Error(`${file}: ${groups.length} groups of overlapping segments in a ${nc}-component image`);
  const layers: Volume[] = [];
  for (let c = 0; c < nc; c++) {
    const one = nc === 1 ? img : componentOf(img, c, nc);
    layers.push(imageToVolume(one, file));
  }
  const segments = groups.flatMap((g, layer) => g.map((s) => ({ number: Number(s.labelID), name: String(s.SegmentLabel ?? ''), layer, value: Number(s.labelID) })));
  return { layers, segments };
}

function componentOf(img: Image, c: number, nc: number): Image {
  const src = img.data as unknown as ArrayLike<number> & { constructor: new (n: number) => ArrayLike<number> & { [i: number]: number } };
  const n = src.length / nc;
  const out = new src.constructor(n);
  for (let i = 0; i < n; i++) out[i] = src[i * nc + c]!;
  return { ...img, imageType: { ...img.imageType, components: 1 }, data: out } as unknown as Image;
}
