/**
 * Evidence before a verdict: which habitat is best, and whether any habitat shows
 * discrimination at all, from the regions' nested-CV AUCs on the training cohort.
 *
 * - Only a region with a model (selected features and a nested-CV AUC) can be best;
 *   among them the highest nested-CV AUC wins (the first on a tie). A sequence whose
 *   habitats all lack a model has no best habitat.
 * - A sequence shows evidence when some habitat with a model beats the whole tumour's
 *   nested-CV AUC (0.5 when the whole tumour has no model) AND some habitat's nested-CV
 *   AUC is above 0.5 with its 95% CI. Otherwise one plain sentence says there is none.
 * - A composite model built on the Rad-score of a sequence without evidence is still
 *   built and carries a flag; a model whose validation AUC CI includes 0.5 says so.
 */
import { isRadScoreOf, type RegionName } from './patient-features.js';

export interface RegionAuc {
  sequence: string;
  region: RegionName;
  selected: unknown[];
  auc: { cvTraining: number | null; cvTrainingCi: [number, number] | null };
}

export interface SequenceEvidence {
  sequence: string;
  /** Some habitat with a model has a higher nested-CV AUC than the whole tumour. */
  beatsWholeTumour: boolean;
  /** Some habitat's nested-CV AUC has a 95% CI above 0.5. */
  aboveChance: boolean;
  /** One plain sentence when there is no evidence; null otherwise. */
  statement: string | null;
}

const hasModel = (r: RegionAuc) => r.selected.length > 0 && r.auc.cvTraining !== null;

/** Best habitat per sequence: the highest nested-CV AUC among habitats with a model. */
export function bestHabitats(regions: RegionAuc[], sequences: string[]): Record<string, RegionName> {
  const out: Record<string, RegionName> = {};
  for (const seq of sequences) {
    let best: RegionAuc | null = null;
    for (const r of regions) {
      if (r.sequence !== seq || r.region === 'total' || !hasModel(r)) continue;
      if (!best || r.auc.cvTraining! > best.auc.cvTraining!) best = r;
    }
    if (best) out[seq] = best.region;
  }
  return out;
}

const f3 = (x: number) => x.toFixed(3);

export function sequenceEvidence(regions: RegionAuc[], sequences: string[]): SequenceEvidence[] {
  return sequences.map((seq) => {
    const habs = regions.filter((r) => r.sequence === seq && r.region !== 'total' && hasModel(r));
    const whole = regions.find((r) => r.sequence === seq && r.region === 'total');
    const wholeAuc = whole && hasModel(whole) ? whole.auc.cvTraining! : null;
    const beatsWholeTumour = habs.some((r) => r.auc.cvTraining! > (wholeAuc ?? 0.5));
    const aboveChance = habs.some((r) => r.auc.cvTrainingCi !== null && r.auc.cvTrainingCi[0] > 0.5);
    let statement: string | null = null;
    if (habs.length === 0) statement = `${seq}: no evidence that any habitat discriminates the outcome — no habitat kept a feature, so none has a model.`;
    else if (!beatsWholeTumour || !aboveChance) {
      const top = habs.reduce((a, b) => (b.auc.cvTraining! > a.auc.cvTraining! ? b : a));
      const why = [
        !beatsWholeTumour ? `no habitat's nested-CV AUC beats the whole tumour's (${wholeAuc === null ? 'no model, taken as 0.5' : f3(wholeAuc)})` : '',
        !aboveChance ? 'none is above 0.5 with its 95% CI' : '',
      ].filter(Boolean);
      const ci = top.auc.cvTrainingCi ? `, 95% CI ${f3(top.auc.cvTrainingCi[0])}–${f3(top.auc.cvTrainingCi[1])}` : '';
      statement = `${seq}: no evidence that any habitat discriminates the outcome — ${why.join(' and ')} (best ${top.region}: ${f3(top.auc.cvTraining!)}${ci}).`;
    }
    return { sequence: seq, beatsWholeTumour, aboveChance, statement };
  });
}

/** The flag of a composite model whose Rad-scores come from sequences without evidence (null when none). */
export function compositeFlag(inputs: string[], evidence: SequenceEvidence[]): string | null {
  const weak = evidence.filter((e) => e.statement !== null && inputs.some((i) => isRadScoreOf(i, e.sequence))).map((e) => e.sequence);
  return weak.length ? `built on a habitat without evidence of discrimination (${weak.join(', ')})` : null;
}

/** True when a 95% CI contains 0.5 (no evidence the AUC differs from chance). */
export function ciIncludesHalf(ci: [number, number]): boolean {
  return ci[0] <= 0.5 && ci[1] >= 0.5;
}
