/**
 * External validation (issue 24): a trained study (model.json) evaluated on a second,
 * labelled cohort with the study's own figures and tests. Per model: AUC with its
 * DeLong 95 % CI, the paired DeLong test against Clinic on the external cohort (as the
 * study gives it), the external AUC against the internal validation AUC (unpaired
 * DeLong, pROC `roc.test(paired = FALSE)`), calibration curve, Hosmer–Lemeshow,
 * `rms::val.prob`'s calibration intercept, slope, Emax and E90, decision curves, and sensitivity /
 * specificity at the threshold chosen on the training set. Pure: the CLI and the app
 * feed it the patients' Rad-scores and outcomes.
 */
import { aucDeLong, aucMannWhitney, delongTest, delongUnpairedTest, rocCurve, sensitivitySpecificityAt } from '../stats/roc.js';
import { brierScore, calibrationCurve, hosmerLemeshow, netBenefit } from '../stats/calibration.js';
import { calibrationValidation } from '../stats/calibration-validation.js';
import { lineChartSvg, escapeXml, type Series } from '../report/svg-chart.js';
import { radScore } from '../learn/selection.js';
import { applyCombat, fitCombat, type CombatApplied } from '../harmonise/combat.js';
import type { AnalysisResult, Evaluation } from './analysis.js';
import { radScoreInput, regionKey, type PatientFeatures, type RegionName } from './patient-features.js';
import type { CohortSummary, InternalValidation, StudyModelBundle, TrainingHarmonisation } from './model-bundle.js';
import { covariateValue } from './stages/harmonise.js';

export type { CohortSummary, InternalValidation, TrainingHarmonisation };

const summary = (e: Evaluation): CohortSummary => ({ n: e.n, auc: e.auc, ci95: e.ci95, sensitivity: e.sensitivity, specificity: e.specificity, accuracy: e.accuracy, brier: e.brier });

/** The internal block of model.json: validation outcomes and probabilities, and Table 3's summaries. */
export function internalValidation(a: AnalysisResult): InternalValidation {
  const val = a.predictions.filter((p) => p.cohort === 'validation');
  return {
    labels: val.map((p) => p.outcome),
    models: Object.fromEntries(a.models.map((m) => [m.name, { probabilities: val.map((p) => p.probabilities[m.name]!), training: summary(m.training), validation: summary(m.validation) }])),
  };
}

/** Rad-score of each sequence's best habitat from a patient's study features, keyed as the model inputs; null when a feature is missing. */
export function bestHabitatRadScores(bundle: StudyModelBundle, f: PatientFeatures): { radScores: Record<string, number>; missing: string | null } {
  const radScores: Record<string, number> = {};
  for (const [seq, region] of Object.entries(bundle.bestHabitat)) {
    const rs = bundle.regions.find((r) => r.sequence === seq && r.region === region)!.radScore;
    const values = f.regions[regionKey(seq, region)] ?? {};
    const row = rs.names.map((n) => values[n] ?? NaN); // missing or not finite: reported just below
    const bad = rs.names.find((_, j) => !Number.isFinite(row[j]));
    if (bad !== undefined) return { radScores, missing: `${seq} ${region}: feature ${bad} is missing` };
    radScores[radScoreInput(seq, region)] = rs.names.length > 0 ? radScore(rs, [row])[0]! : rs.intercept;
  }
  return { radScores, missing: null };
}

export interface ExternalPatient {
  id: string;
  outcome: 0 | 1;
  /** Model name → predicted probability. */
  probabilities: Record<string, number>;
}

/** Per model on the external cohort: the study's Evaluation fields (sensitivity etc. at the training threshold, DeLong p vs Clinic), and more. */
export interface ExternalModelResult extends Pick<Evaluation, 'n' | 'positives' | 'auc' | 'ci95' | 'accuracy' | 'sensitivity' | 'specificity' | 'delongP' | 'brier' | 'hosmerLemeshow' | 'calibration' | 'roc'> {
  name: string;
  threshold: number;
  /** The internal training and validation summaries from model.json (null for an older model.json). */
  internal: { training: CohortSummary; validation: CohortSummary } | null;
  /** Unpaired DeLong test, external AUC against the internal validation AUC. */
  vsInternal: { d: number; df: number | null; p: number } | null;
  /** rms::val.prob's logistic recalibration, Spiegelhalter test and smoothed calibration errors (Emax, E90, Eavg). */
  calibrationFit: { intercept: number; slope: number; spiegelhalterZ: number; spiegelhalterP: number; emax: number; e90: number; eavg: number } | null;
}

export interface ExternalValidationResult {
  n: number;
  positives: number;
  models: ExternalModelResult[];
  decisionCurve: { thresholds: number[]; models: Record<string, number[]>; treatAll: number[] };
  predictions: ExternalPatient[];
  /** How the cohort's features were harmonised (e.g. "none"). */
  harmonisation: string;
  notes: string[];
}

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Evaluate every saved model on an external cohort. */
export function externalValidation(bundle: StudyModelBundle & { internal?: InternalValidation }, patients: ExternalPatient[], opts: { harmonisation?: string; notes?: string[] } = {}): ExternalValidationResult {
  const labels = patients.map((p) => p.outcome);
  const positives = labels.filter((y) => y === 1).length;
  if (positives === 0 || positives === labels.length) throw new Error(`external cohort: needs patients with both outcomes (got ${positives} positive of ${labels.length})`);
  const notes = [...(opts.notes ?? [])];
  const probsOf = (name: string) =>
    patients.map((p) => {
      const x = p.probabilities[name];
      if (x === undefined) throw new Error(`external cohort: patient ${p.id} has no probability for model ${name}`);
      return x;
    });
  const clinic = bundle.models.find((m) => m.name === 'Clinic');
  if (!bundle.internal) notes.push('model.json has no internal validation block (written before external validation existed): the external AUC is not tested against the internal one');
  const models = bundle.models.map((m): ExternalModelResult => {
    const probs = probsOf(m.name);
    const a = safe(() => aucDeLong(labels, probs));
    const ss = sensitivitySpecificityAt(labels, probs, m.threshold);
    const roc = rocCurve(labels, probs);
    const internal = bundle.internal?.models[m.name] ?? null;
    const h = safe(() => hosmerLemeshow(labels, probs, 10));
    const fit = safe(() => calibrationValidation(labels, probs));
    if (!fit) notes.push(`${m.name}: no calibration intercept/slope on the external cohort (its predicted risks are all equal or separate the outcome)`);
    return {
      name: m.name,
      threshold: m.threshold,
      n: labels.length,
      positives,
      auc: a?.auc ?? aucMannWhitney(labels, probs),
      ci95: a ? a.ci95 : [NaN, NaN],
      accuracy: (ss.tp + ss.tn) / labels.length,
      sensitivity: ss.sensitivity,
      specificity: ss.specificity,
      delongP: clinic && m.name !== clinic.name ? (safe(() => delongTest(labels, probs, probsOf(clinic.name)).p) ?? null) : null,
      internal: internal ? { training: internal.training, validation: internal.validation } : null,
      vsInternal: internal ? safe(() => {
        const t = delongUnpairedTest(labels, probs, bundle.internal!.labels, internal.probabilities);
        return { d: t.d, df: t.df, p: t.p };
      }) : null,
      brier: brierScore(labels, probs),
      hosmerLemeshow: h ? { chi2: h.chi2, df: h.df, p: h.p } : null,
      calibrationFit: fit ? { intercept: fit.intercept, slope: fit.slope, spiegelhalterZ: fit.spiegelhalterZ, spiegelhalterP: fit.spiegelhalterP, emax: fit.emax, e90: fit.e90, eavg: fit.eavg } : null,
      calibration: calibrationCurve(labels, probs, 5),
      roc: { fpr: roc.fpr, tpr: roc.tpr },
    };
  });
  const thresholds = Array.from({ length: 99 }, (_, k) => (k + 1) / 100);
  const decisionCurve = { thresholds, models: {} as Record<string, number[]>, treatAll: [] as number[] };
  for (const m of bundle.models) {
    const nb = netBenefit(labels, probsOf(m.name), thresholds);
    decisionCurve.models[m.name] = nb.model;
    decisionCurve.treatAll = nb.treatAll;
  }
  return { n: labels.length, positives, models, decisionCurve, predictions: patients, harmonisation: opts.harmonisation ?? 'none', notes };
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(3));
const ci = (c: [number, number] | undefined) => (c && Number.isFinite(c[0]) ? `${c[0].toFixed(3)}–${c[1].toFixed(3)}` : '');

/** Table 3 with its "External validation" column: AUC (95 % CI) per cohort, then the external cohort's tests (header first). */
export function externalTable3(r: ExternalValidationResult): string[][] {
  const head = ['model', 'training AUC (95% CI)', 'validation AUC (95% CI)', 'External validation AUC (95% CI)', 'external vs validation p (unpaired DeLong)', 'external DeLong p vs Clinic', 'threshold (training)', 'external sensitivity', 'external specificity', 'validation sensitivity', 'validation specificity', 'external accuracy', 'calibration intercept', 'calibration slope', 'Emax', 'E90', 'Hosmer–Lemeshow p', 'Brier'];
  const rows = r.models.map((m) => [
    m.name,
    m.internal ? `${f3(m.internal.training.auc)} (${ci(m.internal.training.ci95)})` : '',
    m.internal ? `${f3(m.internal.validation.auc)} (${ci(m.internal.validation.ci95)})` : '',
    `${f3(m.auc)} (${ci(m.ci95)})`,
    f3(m.vsInternal?.p),
    f3(m.delongP),
    f3(m.threshold),
    f3(m.sensitivity),
    f3(m.specificity),
    f3(m.internal?.validation.sensitivity),
    f3(m.internal?.validation.specificity),
    f3(m.accuracy),
    f3(m.calibrationFit?.intercept),
    f3(m.calibrationFit?.slope),
    f3(m.calibrationFit?.emax),
    f3(m.calibrationFit?.e90),
    f3(m.hosmerLemeshow?.p),
    f3(m.brier),
  ]);
  return [head, ...rows];
}

const cell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

export function externalTable3Csv(r: ExternalValidationResult): string {
  return externalTable3(r).map((row) => row.map(cell).join(',')).join('\n') + '\n';
}

/** ROC, calibration and decision-curve figures of the external cohort (SVG). */
export function externalFigures(r: ExternalValidationResult): Record<string, string> {
  const figs: Record<string, string> = {};
  figs['roc-external.svg'] = lineChartSvg(
    r.models.map((m) => ({ name: `${m.name} (AUC ${m.auc.toFixed(3)})`, x: m.roc.fpr, y: m.roc.tpr })),
    { title: 'ROC curve — external validation', label: 'ROC curve', xLabel: '1 − specificity', yLabel: 'sensitivity', xRange: [0, 1], yRange: [0, 1], diagonal: true },
  );
  figs['calibration-external.svg'] = lineChartSvg(
    r.models.map((m) => ({ name: `${m.name} (slope ${f3(m.calibrationFit?.slope) || '—'})`, x: m.calibration.meanPredicted, y: m.calibration.fractionPositive, style: 'line+markers' as const })),
    { title: 'Calibration curve — external validation', label: 'Calibration curve', xLabel: 'mean predicted probability', yLabel: 'observed fraction positive', xRange: [0, 1], yRange: [0, 1], diagonal: true },
  );
  const dc = r.decisionCurve;
  const series: Series[] = [
    ...Object.entries(dc.models).map(([name, nb]) => ({ name, x: dc.thresholds, y: nb })),
    { name: 'Treat all', x: dc.thresholds, y: dc.treatAll, style: 'dashed' },
    { name: 'Treat none', x: [0, 1], y: [0, 0], style: 'dashed', colour: '#000' },
  ];
  const top = Math.max(0.05, ...Object.values(dc.models).flat(), ...dc.treatAll);
  figs['decision-external.svg'] = lineChartSvg(series, { title: 'Decision curve — external validation', label: 'Decision curve', xLabel: 'threshold probability', yLabel: 'net benefit', xRange: [0, 1], yRange: [-0.05, top * 1.05] });
  return figs;
}

/** The external validation as a section of an HTML page (inline SVG figures, no script): a heading and what the CLI's report.html shows. */
export function externalSectionHtml(r: ExternalValidationResult, title: string): string {
  const figs = externalFigures(r);
  const [head, ...body] = externalTable3(r);
  if (!head) throw new Error('external validation: Table 3 without a header row');
  const table = `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${body.map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  return `<h2>External validation — ${escapeXml(title)}</h2>
<p>${r.n} patients, ${r.positives} positive. Harmonisation: ${escapeXml(r.harmonisation)}. Thresholds are the training Youden thresholds saved with the models.</p>
<h3>Table 3 — models, with the external validation column</h3>${table}
<h3>ROC curves</h3><figure>${figs['roc-external.svg']}</figure>
<h3>Calibration</h3><figure>${figs['calibration-external.svg']}</figure>
<h3>Decision curves</h3><figure>${figs['decision-external.svg']}</figure>
${r.notes.length ? `<h3>Notes</h3><ul>${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>` : ''}`;
}

/** A self-contained HTML report of the external validation. */
export function externalHtml(r: ExternalValidationResult, title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>External validation</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>body{font:14px/1.45 Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}h2{border-bottom:1px solid #ccc}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px}th{background:#f3f3f3}figure{display:inline-block;margin:.5em}</style></head>
<body>
${externalSectionHtml(r, title)}
</body></html>
`;
}

/** Each patient's risk under every model (predictions-external.csv). */
export function externalPredictionsCsv(r: ExternalValidationResult): string {
  const names = r.models.map((m) => m.name);
  return [['id', 'outcome', ...names].map(cell).join(','), ...r.predictions.map((p) => [cell(p.id), p.outcome, ...names.map((n) => p.probabilities[n])].join(','))].join('\n') + '\n';
}

/** What `habitat validate` writes (and the study bundle keeps per external cohort): file name → text. */
export function externalFiles(r: ExternalValidationResult, title: string): Record<string, string> {
  const files: Record<string, string> = {
    'report.html': externalHtml(r, title),
    'external.json': JSON.stringify(r, null, 2) + '\n',
    'table3-external.csv': externalTable3Csv(r),
    'predictions-external.csv': externalPredictionsCsv(r),
  };
  for (const [name, svg] of Object.entries(externalFigures(r))) files[`figures/${name}`] = svg;
  return files;
}

/**
 * ComBat of the best habitats' features fitted on the training patients as one
 * reference batch ("training"), kept in model.json so that an external cohort's
 * scanner can be harmonised to the training data at validation time: each external
 * batch is a batch never seen, its location and scale estimated by empirical Bayes
 * from its own patients' features (src/core/harmonise/combat.ts), never from outcomes.
 * Features missing in a training patient (a habitat too small) are left out.
 */
export function trainingHarmonisation(features: PatientFeatures[], training: string[], bestHabitat: Record<string, RegionName>): TrainingHarmonisation {
  const train = new Set(training);
  const rows = features.filter((f) => train.has(f.id));
  const regions: TrainingHarmonisation['regions'] = {};
  for (const [seq, region] of Object.entries(bestHabitat)) {
    const key = regionKey(seq, region);
    const names = Object.keys(rows[0]?.regions[key] ?? {}).filter((n) => rows.every((f) => Number.isFinite(f.regions[key]?.[n])));
    if (names.length < 2 || rows.length < 2) continue;
    const fit = fitCombat(rows.map((f) => names.map((n) => f.regions[key]![n]!)), rows.map(() => 'training'), { referenceBatch: 'training' });
    regions[key] = { names, model: fit.model };
  }
  return { batch: 'training', regions };
}

/**
 * Harmonise external patients' best-habitat features to the training data (in place
 * on copies): batches by `batchOf` (one batch for the whole cohort by default). A
 * study whose ComBat preserved covariates reads each patient's from `clinicalRow`
 * (its raw clinical cells). A patient missing a harmonised feature or a covariate
 * value cannot be placed and is returned in `excluded`.
 */
export function harmoniseExternal(
  h: TrainingHarmonisation,
  features: PatientFeatures[],
  batchOf: (id: string) => string,
  clinicalRow?: (id: string) => Record<string, string>,
): { features: PatientFeatures[]; excluded: { id: string; reason: string }[]; summary: string } {
  const excluded: { id: string; reason: string }[] = [];
  const covariates = new Map<string, Record<string, number>>();
  const keep = features.filter((f) => {
    for (const [key, r] of Object.entries(h.regions)) {
      const bad = r.names.find((n) => !Number.isFinite(f.regions[key]?.[n]));
      if (bad !== undefined) { excluded.push({ id: f.id, reason: `${key.replace('|', ' ')} feature ${bad} is missing, so it cannot be harmonised` }); return false; }
    }
    const names = [...new Set(Object.values(h.regions).flatMap((r) => r.model.covariateNames))];
    if (names.length === 0) return true;
    if (!clinicalRow) throw new Error(`the study's ComBat preserves covariates (${names.join(', ')}): harmonising needs the cohort's clinical table`);
    try {
      const row = clinicalRow(f.id);
      covariates.set(f.id, Object.fromEntries(names.map((c) => [c, covariateValue(c, row, f.id)])));
    } catch (e) {
      excluded.push({ id: f.id, reason: (e instanceof Error ? e.message : String(e)).replace(`patient ${f.id}: `, '') });
      return false;
    }
    return true;
  });
  const out = keep.map((f) => ({ ...f, regions: { ...f.regions } }));
  const batches = out.map((f) => batchOf(f.id));
  let modes: CombatApplied['batches'] = [];
  for (const [key, r] of Object.entries(h.regions)) {
    const cov = r.model.covariateNames.length > 0 ? out.map((f) => r.model.covariateNames.map((c) => covariates.get(f.id)![c]!)) : undefined;
    const applied = applyCombat(r.model, out.map((f) => r.names.map((n) => f.regions[key]![n]!)), batches, { covariates: cov, sampleNames: out.map((f) => f.id) });
    out.forEach((f, i) => {
      f.regions[key] = { ...f.regions[key], ...Object.fromEntries(r.names.map((n, j) => [n, applied.harmonised[i]![j]!])) };
    });
    modes = applied.batches;
  }
  // No sequence with a best habitat (no habitat got a model): no model reads habitat features.
  const summary =
    Object.keys(h.regions).length === 0
      ? 'ComBat: nothing to harmonise (no model of the study uses habitat features)'
      : `ComBat (${Object.values(h.regions)[0]?.model.parametric === false ? 'non-parametric' : 'parametric'} empirical Bayes) of the best habitats' features onto the training cohort (reference batch); ${modes.map((b) => `${b.name}: ${b.n} patients, ${b.mode === 'new batch' ? 'a batch not seen in training, location and scale from its own features' : b.mode}`).join('; ')}`;
  return { features: out, excluded, summary };
}
