/**
 * RT Structure Sets: the ROIs and their CLOSED_PLANAR contours, and their
 * rasterisation onto an image grid.
 *
 * Inclusion rule (docs/import.md): a voxel belongs to the ROI when its centre
 * lies inside the ROI's polygons on that slice by the even–odd rule: the
 * polygons of one slice are combined by exclusive or, so a contour inside
 * another is a hole and separate contours are separate islands (as
 * plastimatch does). Each row of voxel centres is scanned: an edge is crossed
 * when exactly one of its ends lies at or above the row (half-open), and a
 * centre exactly on the polygon's left edge is inside, on its right edge
 * outside. Each contour goes to the slice nearest to its plane.
 */
import * as dicomParserModule from 'dicom-parser';
import { parseDicomBytes } from '../image/dicom-scan.js';
import { physicalToIndex, type Volume } from '../image/volume.js';
import { findByName } from './labelmap.js';

export interface RoiContour {
  type: string;
  /** x, y, z triplets (mm, LPS). */
  points: Float64Array;
}

export interface StructureSetRoi {
  number: number;
  name: string;
  frameOfReference: string;
  contours: RoiContour[];
}

export interface StructureSet {
  path: string;
  label: string;
  /** Frames of reference the structure set refers to. */
  frameOfReference: string[];
  /** SeriesInstanceUIDs of the images the contours were drawn on. */
  referencedSeries: string[];
  rois: StructureSetRoi[];
}

type DataSet = dicomParserModule.DataSet;

const items = (ds: DataSet, tag: string): DataSet[] => (ds.elements[tag]?.items ?? []).map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
const str = (ds: DataSet, tag: string) => (ds.string(tag) ?? '').trim();

/** Read the ROIs of an RTSTRUCT file; throws a one-line error naming the file. */
export function parseRtStruct(path: string, bytes: Uint8Array): StructureSet {
  const ds = parseDicomBytes(path, bytes);
  if ('problem' in ds) throw new Error(`${path}: ${ds.problem}`);
  const frameOfReference: string[] = [];
  const referencedSeries: string[] = [];
  for (const f of items(ds, 'x30060010')) {
    frameOfReference.push(str(f, 'x00200052'));
    for (const st of items(f, 'x30060012')) for (const se of items(st, 'x30060014')) referencedSeries.push(str(se, 'x0020000e'));
  }
  const rois = new Map<number, StructureSetRoi>();
  for (const r of items(ds, 'x30060020')) {
    const number = Number(r.intString('x30060022'));
    rois.set(number, { number, name: str(r, 'x30060026'), frameOfReference: str(r, 'x30060024'), contours: [] });
  }
  for (const rc of items(ds, 'x30060039')) {
    const roi = rois.get(Number(rc.intString('x30060084')));
    if (!roi) continue;
    for (const c of items(rc, 'x30060040')) {
      const text = c.string('x30060050') ?? '';
      const pts = Float64Array.from(text.split('\\').map(Number));
      if (pts.length % 3 !== 0 || pts.some((x) => !Number.isFinite(x))) throw new Error(`${path}: ROI "${roi.name}" has a contour whose ContourData is not x\\y\\z triplets of numbers`);
      roi.contours.push({ type: str(c, 'x30060042'), points: pts });
    }
  }
  return { path, label: str(ds, 'x30060002'), frameOfReference, referencedSeries, rois: [...rois.values()] };
}

export interface RasterResult {
  mask: Volume;
  /** Contours used, and those skipped (not CLOSED_PLANAR, off the grid). */
  used: number;
  skipped: string[];
}

/** XOR the even–odd inside of one polygon (in continuous voxel index i, j) into a slice buffer. */
function fillPolygon(slice: Uint8Array, nx: number, ny: number, xs: Float64Array, ys: Float64Array): void {
  const n = xs.length;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let p = 0; p < n; p++) {
    ymin = Math.min(ymin, ys[p]!);
    ymax = Math.max(ymax, ys[p]!);
  }
  const cross: number[] = [];
  for (let j = Math.max(0, Math.ceil(ymin)); j <= Math.min(ny - 1, Math.floor(ymax)); j++) {
    cross.length = 0;
    for (let p = 0, q = n - 1; p < n; q = p++) {
      const y0 = ys[q]!;
      const y1 = ys[p]!;
      if (y0 <= j !== y1 <= j) cross.push(xs[q]! + ((j - y0) * (xs[p]! - xs[q]!)) / (y1 - y0));
    }
    cross.sort((a, b) => a - b);
    for (let c = 0; c + 1 < cross.length; c += 2) {
      const from = Math.max(0, Math.ceil(cross[c]!));
      const to = Math.min(nx - 1, Math.ceil(cross[c + 1]!) - 1);
      for (let i = from; i <= to; i++) slice[j * nx + i]! ^= 1;
    }
  }
}

/**
 * Rasterise one ROI onto a grid (only its geometry is used). The contours must
 * lie in planes of the grid's slices: a contour whose points are more than a
 * tenth of a slice off its plane is refused (the grid is oblique to it).
 */
export function rasterizeRoi(roi: StructureSetRoi, grid: Pick<Volume, 'size' | 'spacing' | 'origin' | 'direction'>, label = roi.name): RasterResult {
  const [nx, ny, nz] = grid.size;
  const data = new Uint8Array(nx * ny * nz);
  const skipped: string[] = [];
  let used = 0;
  const g = grid as Volume;
  for (const c of roi.contours) {
    if (c.type !== 'CLOSED_PLANAR') {
      skipped.push(`${c.type || 'untyped'} contour`);
      continue;
    }
    const m = c.points.length / 3;
    if (m < 3) {
      skipped.push('contour with fewer than 3 points');
      continue;
    }
    const xs = new Float64Array(m);
    const ys = new Float64Array(m);
    let kSum = 0;
    const ks = new Float64Array(m);
    for (let p = 0; p < m; p++) {
      const idx = physicalToIndex(g, [c.points[3 * p]!, c.points[3 * p + 1]!, c.points[3 * p + 2]!]);
      xs[p] = idx[0];
      ys[p] = idx[1];
      ks[p] = idx[2];
      kSum += idx[2];
    }
    const kz = kSum / m;
    for (let p = 0; p < m; p++) {
      if (Math.abs(ks[p]! - kz) > 0.1) throw new Error(`ROI "${label}": its contours are not parallel to the image slices (a point lies ${(Math.abs(ks[p]! - kz) * grid.spacing[2]).toFixed(2)} mm off its contour's plane along the slice normal)`);
    }
    const k = Math.round(kz);
    if (k < 0 || k >= nz) {
      skipped.push(`contour outside the image's slices (at slice ${kz.toFixed(1)})`);
      continue;
    }
    fillPolygon(data.subarray(k * nx * ny, (k + 1) * nx * ny), nx, ny, xs, ys);
    used++;
  }
  return {
    mask: { size: [nx, ny, nz], spacing: [...grid.spacing], origin: [...grid.origin], direction: Float64Array.from(grid.direction), data, metadata: { source: `RTSTRUCT ROI ${label}` } },
    used,
    skipped,
  };
}

/** ROIs whose name matches `query`: exact (case-insensitive) first, else a glob (* ?) or /regex/. */
export function findRois(rois: readonly StructureSetRoi[], query: string): StructureSetRoi[] {
  return findByName(rois, query, (r) => r.name);
}
