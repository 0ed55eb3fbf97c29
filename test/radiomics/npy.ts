/** A tiny reader for NumPy .npy files (version 1/2, little-endian float64 / uint8, C order). */
import { readFileSync } from 'node:fs';

export interface NpyArray {
  shape: number[];
  data: Float64Array;
}

export function readNpy(path: string): NpyArray {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const offset = start + headerLen;
  const n = shape.reduce((a, b) => a * b, 1);
  const raw = new Float64Array(n);
  if (descr === '<f8') for (let i = 0; i < n; i++) raw[i] = buf.readDoubleLE(offset + 8 * i);
  else if (descr === '|u1') for (let i = 0; i < n; i++) raw[i] = buf[offset + i]!;
  else throw new Error(`${path}: dtype ${descr} is not supported`);
  if (!fortran) return { shape, data: raw };
  // Fortran (column-major) order: the first index varies fastest; convert to C order
  const data = new Float64Array(n);
  const idx = shape.map(() => 0);
  for (let f = 0; f < n; f++) {
    let r = f;
    for (let d = 0; d < shape.length; d++) {
      idx[d] = r % shape[d]!;
      r = Math.floor(r / shape[d]!);
    }
    let c = 0;
    for (let d = 0; d < shape.length; d++) c = c * shape[d]! + idx[d]!;
    data[c] = raw[f]!;
  }
  return { shape, data };
}
