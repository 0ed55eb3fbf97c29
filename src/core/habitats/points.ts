/**
 * Point sets for clustering: either arrays of rows (samples × features, the
 * form of API.md) or a flat row-major matrix, the form used for millions of
 * voxels (one Float64Array instead of one small array per voxel).
 */
export interface FlatPoints {
  /** Row-major n × dim values: sample s, feature f at `data[s * dim + f]`. */
  data: Float64Array | Float32Array;
  dim: number;
}

export type PointSet = readonly ArrayLike<number>[] | FlatPoints;

function isFlat(p: PointSet): p is FlatPoints {
  return !Array.isArray(p) && typeof (p as FlatPoints).dim === 'number';
}

/** The point set as a flat Float64Array matrix (copies rows; reuses a flat Float64Array). */
export function toFlatPoints(points: PointSet): { data: Float64Array; n: number; dim: number } {
  if (isFlat(points)) {
    const { dim } = points;
    if (!(dim >= 1) || points.data.length % dim !== 0) {
      throw new Error(`points: flat data of length ${points.data.length} is not a multiple of dim ${dim}`);
    }
    const data = points.data instanceof Float64Array ? points.data : Float64Array.from(points.data);
    return { data, n: data.length / dim, dim };
  }
  const rows = points as readonly ArrayLike<number>[];
  const n = rows.length;
  if (n === 0) throw new Error('points: no samples');
  const dim = rows[0]!.length;
  if (dim < 1) throw new Error('points: samples have no features');
  const data = new Float64Array(n * dim);
  for (let s = 0; s < n; s++) {
    const r = rows[s]!;
    if (r.length !== dim) throw new Error(`points: row ${s} has ${r.length} features, row 0 has ${dim}`);
    for (let f = 0; f < dim; f++) data[s * dim + f] = r[f]!;
  }
  return { data, n, dim };
}
