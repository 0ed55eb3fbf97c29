/**
 * External-validation statistics against R (fixtures from
 * scripts/fixtures/stats_external_r.R): pROC 1.18's unpaired DeLong test
 * (roc.test(paired = FALSE)), sensitivity/specificity at a fixed threshold (pROC
 * coords), and rms::val.prob's calibration intercept, slope, Brier, Spiegelhalter test and Emax/E90/Eavg.
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { calibrationValidation, delongUnpairedTest, sensitivitySpecificityAt, smoothedCalibrationErrors } from '../../src/core/stats/index.js';

interface Fixture {
  unpaired: {
    labelsA: number[]; scoresA: number[]; labelsB: number[]; scoresB: number[];
    aucA: number; aucB: number; d: number; df: number; p: number; threshold: number; sensitivity: number; specificity: number;
  }[];
  valProb: { labels: number[]; probs: number[]; intercept: number; slope: number; interceptConverged: number; slopeConverged: number; brier: number; spiegelhalterZ: number; spiegelhalterP: number; emax: number; e90: number; eavg: number }[];
  valProbTies: { labels: number[]; probs: number[]; emax: number; e90: number; eavg: number }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/stats/external.json', import.meta.url), 'utf8')) as Fixture;

function close(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${tol})`);
}

describe('external validation statistics match R', () => {
  it('unpaired DeLong test = pROC roc.test(paired = FALSE); sensitivity/specificity = pROC coords', () => {
    fx.unpaired.forEach((c, k) => {
      const t = delongUnpairedTest(c.labelsA, c.scoresA, c.labelsB, c.scoresB);
      close(t.aucA, c.aucA, 1e-10, `case ${k} aucA`);
      close(t.aucB, c.aucB, 1e-10, `case ${k} aucB`);
      close(t.d, c.d, 1e-9, `case ${k} D`);
      close(t.df ?? NaN, c.df, 1e-9, `case ${k} df`);
      close(t.p, c.p, 1e-9, `case ${k} p`);
      const s = sensitivitySpecificityAt(c.labelsA, c.scoresA, c.threshold);
      close(s.sensitivity, c.sensitivity, 1e-12, `case ${k} sensitivity`);
      close(s.specificity, c.specificity, 1e-12, `case ${k} specificity`);
    });
  });
  it('calibration intercept, slope, Brier, Spiegelhalter = rms::val.prob', () => {
    fx.valProb.forEach((c, k) => {
      const v = calibrationValidation(c.labels, c.probs);
      // val.prob's lrm.fit stops at its own tolerance (differences up to ~1e-5);
      // the fully converged maximum-likelihood fit (glm, epsilon 1e-15) to 1e-9
      close(v.intercept, c.intercept, 1e-4, `case ${k} intercept (val.prob)`);
      close(v.slope, c.slope, 1e-4, `case ${k} slope (val.prob)`);
      close(v.intercept, c.interceptConverged, 1e-9, `case ${k} intercept`);
      close(v.slope, c.slopeConverged, 1e-9, `case ${k} slope`);
      close(v.brier, c.brier, 1e-12, `case ${k} Brier`);
      close(v.spiegelhalterZ, c.spiegelhalterZ, 1e-10, `case ${k} Spiegelhalter z`);
      close(v.spiegelhalterP, c.spiegelhalterP, 1e-10, `case ${k} Spiegelhalter p`);
      close(v.emax, c.emax, 1e-12, `case ${k} Emax`);
      close(v.e90, c.e90, 1e-12, `case ${k} E90`);
      close(v.eavg, c.eavg, 1e-12, `case ${k} Eavg`);
    });
  });
  it('Emax, E90, Eavg = rms::val.prob on predictions with many ties', () => {
    fx.valProbTies.forEach((c, k) => {
      const e = smoothedCalibrationErrors(c.labels, c.probs);
      close(e.emax, c.emax, 1e-12, `ties case ${k} Emax`);
      close(e.e90, c.e90, 1e-12, `ties case ${k} E90`);
      close(e.eavg, c.eavg, 1e-12, `ties case ${k} Eavg`);
    });
  });
});
