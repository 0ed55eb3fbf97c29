/**
 * NGTDM features (PyRadiomics `ngtdm`). Over the N_{g,p} grey levels present:
 * p_i = n_i / N_{v,p}, s_i the summed absolute differences, i the grey level.
 */
import type { FeatureFamily } from '../family.js';
import { ngtdmMatrix, type NgtdmMatrix } from './matrix.js';

export interface NgtdmContext {
  m: NgtdmMatrix;
  p: Float64Array;
  Nvp: number;
}

function context(m: NgtdmMatrix): NgtdmContext {
  const Nvp = m.n.reduce((a, b) => a + b, 0);
  return { m, p: m.n.map((v) => v / Nvp), Nvp };
}

function sumPs(c: NgtdmContext): number {
  let s = 0;
  for (let k = 0; k < c.m.ng; k++) s += c.p[k]! * c.m.s[k]!;
  return s;
}

export const ngtdmFamily: FeatureFamily<NgtdmContext> = {
  name: 'ngtdm',
  title: 'Neighbouring Grey Tone Difference Matrix',
  description: 'Difference between each grey level and the average grey level of its ROI neighbours within distance δ.',
  prepare: ({ binned, settings }) => context(ngtdmMatrix(binned(), settings)),
  features: [
    {
      name: 'Coarseness',
      ibsi: 'QCDE',
      formula: '1 / Σ p_i s_i (10⁶ when the sum is 0)',
      compute: (c) => {
        const s = sumPs(c);
        return s === 0 ? 1e6 : 1 / s;
      },
    },
    {
      name: 'Contrast',
      ibsi: '65HE',
      formula: '(1/(N_{g,p}(N_{g,p}−1)) Σ_i Σ_j p_i p_j (i − j)²) (Σ_i s_i / N_{v,p}); 0 when N_{g,p} = 1',
      compute: (c) => {
        const { ng, levels, s } = c.m;
        const div = ng * (ng - 1);
        if (div === 0) return 0;
        let a = 0;
        for (let i = 0; i < ng; i++) for (let j = 0; j < ng; j++) a += c.p[i]! * c.p[j]! * (levels[i]! - levels[j]!) ** 2;
        const ss = s.reduce((x, y) => x + y, 0);
        return (a * ss) / c.Nvp / div;
      },
    },
    {
      name: 'Busyness',
      ibsi: 'NQ30',
      formula: 'Σ p_i s_i / Σ_i Σ_j |i p_i − j p_j| (p_i, p_j ≠ 0; 0 when the denominator is 0)',
      compute: (c) => {
        const { ng, levels } = c.m;
        let d = 0;
        for (let i = 0; i < ng; i++) for (let j = 0; j < ng; j++) d += Math.abs(levels[i]! * c.p[i]! - levels[j]! * c.p[j]!);
        return d === 0 ? 0 : sumPs(c) / d;
      },
    },
    {
      name: 'Complexity',
      ibsi: 'HDEZ',
      formula: '(1/N_{v,p}) Σ_i Σ_j |i − j| (p_i s_i + p_j s_j) / (p_i + p_j)',
      compute: (c) => {
        const { ng, levels, s } = c.m;
        let t = 0;
        for (let i = 0; i < ng; i++)
          for (let j = 0; j < ng; j++) {
            const div = c.p[i]! + c.p[j]!;
            if (div === 0) continue;
            t += (Math.abs(levels[i]! - levels[j]!) * (c.p[i]! * s[i]! + c.p[j]! * s[j]!)) / div;
          }
        return t / c.Nvp;
      },
    },
    {
      name: 'Strength',
      ibsi: '1X9X',
      formula: 'Σ_i Σ_j (p_i + p_j)(i − j)² / Σ_i s_i; 0 when Σ s_i = 0',
      compute: (c) => {
        const { ng, levels, s } = c.m;
        let t = 0;
        for (let i = 0; i < ng; i++) for (let j = 0; j < ng; j++) t += (c.p[i]! + c.p[j]!) * (levels[i]! - levels[j]!) ** 2;
        const ss = s.reduce((x, y) => x + y, 0);
        return ss === 0 ? 0 : t / ss;
      },
    },
  ],
};
