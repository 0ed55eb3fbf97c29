/**
 * What a study writes (../shared/SPEC.md §7 (Outputs a user expects)): `report.json` (schema in docs/study.md), the
 * feature table, predictions, Tables 1–3 as CSV, and a self-contained offline
 * HTML report with SVG figures. Pure functions from a StudyResult to strings,
 * so Node (CLI) and the app (download bundle) write the same bytes.
 */
import { regionKey } from './patient-features.js';
import Papa from 'papaparse';
import type { StudyResult } from './pipeline.js';
import type { Evaluation } from './analysis.js';
import type { OptimismIndex, Plus632Index } from '../learn/optimism.js';
import { STUDY_CONFIG_VERSION, type StudyConfig } from './config.js';
import { MODEL_SCHEMA, MODEL_VERSION, type StudyModelBundle } from './model-bundle.js';
import { ciIncludesHalf, type SequenceEvidence } from './evidence.js';
import { permutationP, permutationSummary } from './stages/permutation.js';
import { internalValidation, trainingHarmonisation } from './external.js';
import { studyHarmonisationBlock } from './stages/harmonise.js';
import { barChartSvg, escapeXml, lineChartSvg, type Series } from '../report/svg-chart.js';

export const REPORT_SCHEMA = 'habitat-workbench/study-report';
export const SOFTWARE = { name: 'Habitat Workbench', version: '0.1.0' };

const r6 = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1e6) / 1e6);

function evalJson(e: Evaluation) {
  return {
    n: e.n,
    positives: e.positives,
    auc: r6(e.auc),
    ci95: [r6(e.ci95[0]), r6(e.ci95[1])],
    accuracy: r6(e.accuracy),
    sensitivity: r6(e.sensitivity),
    specificity: r6(e.specificity),
    delongP: r6(e.delongP),
    brier: r6(e.brier),
    hosmerLemeshow: e.hosmerLemeshow ? { chi2: r6(e.hosmerLemeshow.chi2), df: e.hosmerLemeshow.df, p: r6(e.hosmerLemeshow.p) } : null,
  };
}

const optJson = (o: OptimismIndex) => ({ apparent: r6(o.apparent), optimism: r6(o.optimism), corrected: r6(o.corrected), n: o.n });
const plus632Json = (o: Plus632Index) => ({
  apparent: r6(o.apparent), oob: r6(o.oob), dot632: r6(o.dot632), noInformation: r6(o.noInformation), overfitting: r6(o.overfitting), weight: r6(o.weight), estimate: r6(o.estimate), n: o.n,
});

/** The report object (written as report.json). `generatedAt` is the only field that changes between identical runs. */
export function studyReport(r: StudyResult, generatedAt: string = new Date().toISOString()) {
  const a = r.analysis;
  const trainSet = new Set(a.split.training);
  const pos = (ids: string[]) => ids.filter((id) => a.labels[a.ids.indexOf(id)] === 1).length;
  return {
    schema: REPORT_SCHEMA,
    version: 1,
    generatedAt,
    software: SOFTWARE,
    cohort: {
      patients: a.ids.length,
      training: a.split.training.length,
      validation: a.split.validation.length,
      positives: { training: pos(a.split.training), validation: pos(a.split.validation) },
      excluded: r.excluded,
    },
    split: { training: a.split.training, validation: a.ids.filter((id) => !trainSet.has(id)) },
    config: r.config,
    extraction: { imageType: r.extraction.imageType, featureClass: r.extraction.featureClass, setting: r.extraction.setting },
    habitats: Object.fromEntries(
      Object.entries(r.habitats).map(([seq, h]) => [
        seq,
        {
          k: h.k,
          kChosenBy: h.kChosenBy,
          ks: h.bic.ks,
          bic: h.bic.bic.map((b) => r6(b)),
          icl: h.bic.icl.map((b) => r6(b)),
          curveVoxels: { voxels: h.bic.voxels, n: h.bic.n },
          habitatIntensity: h.habitatIntensity.map(r6),
          pooledVoxels: h.pooledVoxels,
        },
      ]),
    ),
    icc: a.icc,
    // which mode each cohort got (only for a study fitted with harmonisation.method: combat)
    ...(a.harmonisation ? { harmonisation: { method: 'combat', batch: a.harmonisation.batch, covariates: a.harmonisation.covariates, ...a.harmonisation.summary } } : {}),
    regions: a.regions.map((g) => ({
      sequence: g.sequence,
      region: g.region,
      funnel: g.funnel,
      selected: g.selected.map((s) => s.name),
      coefficients: g.selected.map((s) => r6(s.coefficient)),
      lambda: r6(g.lambda),
      auc: {
        training: r6(g.auc.training), validation: r6(g.auc.validation), cvTraining: r6(g.auc.cvTraining),
        cvTrainingCi: g.auc.cvTrainingCi ? [r6(g.auc.cvTrainingCi[0]), r6(g.auc.cvTrainingCi[1])] : null,
      },
    })),
    bestHabitat: a.bestHabitat,
    evidence: a.evidence ?? [],
    models: a.models.map((m) => ({
      name: m.name,
      inputs: m.inputs,
      threshold: r6(m.threshold),
      training: evalJson(m.training),
      validation: evalJson(m.validation),
      delongP: r6(m.delongP),
      flag: m.flag ?? null,
    })),
    table1: a.table1,
    table2: a.table2,
    // only when the test ran (validation.permutations > 0): reports without it stay as they were
    ...(a.permutation ? { permutation: { ...a.permutation, models: a.permutation.models.map((m) => ({ ...m, observed: r6(m.observed), p: r6(m.p) })) } } : {}),
    // bootstrap internal validation (stages/optimism.ts); null when off or in studies from before it
    optimism: a.optimism
      ? {
          resamples: a.optimism.resamples,
          lambda: a.optimism.lambda,
          seed: a.optimism.seed,
          models: a.optimism.models.map((m) => ({
            model: m.model, kind: m.kind, failed: m.failed, auc: optJson(m.auc), slope: optJson(m.slope), brier: optJson(m.brier),
            // Efron & Tibshirani's .632+ from the same resamples (null in studies from before it)
            plus632: m.plus632 ? { auc: plus632Json(m.plus632.auc), brier: plus632Json(m.plus632.brier) } : null,
          })),
        }
      : null,
    notes: r.notes,
  };
}

export type StudyReport = ReturnType<typeof studyReport>;

/** Rows to CSV text; a null, undefined or non-finite cell is empty (Papa writes undefined as empty too). */
function csv(rows: (string | number | null | undefined)[][]): string {
  return Papa.unparse(rows.map((row) => row.map((c) => (c === null || (typeof c === 'number' && !Number.isFinite(c)) ? '' : c))), { newline: '\n' }) + '\n';
}

/** One row per patient: id, cohort, outcome, then `<sequence>_<region>_<feature>` for every region. */
export function featuresCsv(r: StudyResult): string {
  const a = r.analysis;
  const keys: string[] = [];
  for (const g of a.regions) keys.push(regionKey(g.sequence, g.region));
  const first = r.features[0];
  const names = Object.fromEntries(keys.map((k) => [k, Object.keys(r.features.find((f) => f.regions[k] && Object.keys(f.regions[k]).length)?.regions[k] ?? first?.regions[k] ?? {})]));
  const header = ['id', 'cohort', 'outcome', ...keys.flatMap((k) => names[k]!.map((n) => `${k.replace('|', '_')}_${n}`))];
  const trainSet = new Set(a.split.training);
  const rows = r.features.map((f) => [
    f.id,
    trainSet.has(f.id) ? 'training' : 'validation',
    a.labels[a.ids.indexOf(f.id)],
    ...keys.flatMap((k) => names[k]!.map((n) => f.regions[k]?.[n] ?? null)),
  ]);
  return csv([header, ...rows]);
}

export function predictionsCsv(r: StudyResult): string {
  const a = r.analysis;
  const models = a.models.map((m) => m.name);
  const best = Object.entries(a.bestHabitat).map(([s, h]) => `${s}|${h}`);
  const header = ['id', 'cohort', 'outcome', ...models.map((m) => `p(${m})`), ...best.map((b) => `radscore(${b.replace('|', ' ')})`)];
  const rows = a.predictions.map((p) => [p.id, p.cohort, p.outcome, ...models.map((m) => p.probabilities[m]), ...best.map((b) => p.radScores[b])]);
  return csv([header, ...rows]);
}

export function table1Csv(r: StudyResult): string {
  const rows: (string | number | null)[][] = [['characteristic', 'level', 'training', 'validation', 'test', 'p']];
  for (const t of r.analysis.table1) {
    if (t.kind === 'continuous') rows.push([t.name, t.normal ? 'mean ± SD' : 'median [IQR]', t.text[0], t.text[1], t.test, t.p]);
    else t.levels.forEach((lv, i) => rows.push([t.name, lv, t.text[0][i]!, t.text[1][i]!, i === 0 ? t.test : '', i === 0 ? t.p : null]));
  }
  return csv(rows);
}

export function table2Csv(r: StudyResult): string {
  const t = r.analysis.table2;
  const multi = new Map(t.multivariate.map((m) => [m.name, m]));
  const rows: (string | number | null)[][] = [['variable', 'univariate OR', 'univariate 95% CI', 'univariate p', 'multivariate OR', 'multivariate 95% CI', 'multivariate p']];
  const ci = (lo: number, hi: number) => `${lo.toFixed(3)}–${hi.toFixed(3)}`;
  for (const u of t.univariate) {
    if ('error' in u) {
      rows.push([u.name, null, u.error, null, null, null, null]);
      continue;
    }
    const m = multi.get(u.name);
    const aliased = (t.aliased ?? []).includes(u.name) ? 'aliased (NA)' : null;
    rows.push([u.name, u.oddsRatio, ci(u.ci95Lower, u.ci95Upper), u.p, m ? m.oddsRatio : null, m ? ci(m.ci95Lower, m.ci95Upper) : aliased, m ? m.p : null]);
  }
  return csv(rows);
}

/**
 * Table 3: every composite model, both cohorts; on the training rows the bootstrap's
 * apparent and optimism-corrected AUC, calibration slope and Brier, and Efron's .632+
 * AUC (empty when the bootstrap is off). Then one training row per region model with
 * those columns. `note` is the last column.
 */
export function table3Csv(r: StudyResult): string {
  // the permutation p (of the training AUC) is a column only when the test ran
  const perm = r.analysis.permutation;
  const rows: (string | number | null)[][] = [[
    'model', 'cohort', 'AUC', '95% CI', 'accuracy', 'sensitivity', 'specificity', 'DeLong p vs Clinic', 'Brier', 'Hosmer–Lemeshow p', ...(perm ? ['permutation p'] : []),
    'AUC apparent', 'AUC optimism-corrected', 'AUC .632+', 'calibration slope apparent', 'calibration slope optimism-corrected', 'Brier apparent', 'Brier optimism-corrected', 'note',
  ]];
  const opt = new Map((r.analysis.optimism?.models ?? []).map((m) => [m.model, m]));
  const corrected = (name: string) => {
    const o = opt.get(name);
    return o
      ? [o.auc.apparent, o.auc.corrected, o.plus632?.auc.estimate ?? null, o.slope.apparent, o.slope.corrected, o.brier.apparent, o.brier.corrected]
      : [null, null, null, null, null, null, null];
  };
  for (const m of r.analysis.models)
    for (const [cohort, e] of [['training', m.training], ['validation', m.validation]] as const) {
      const note = [cohort === 'validation' && ciIncludesHalf(e.ci95) ? 'CI includes 0.5' : '', m.flag ?? ''].filter(Boolean).join('; ');
      const p = perm ? [cohort === 'training' ? permutationP(perm, m.name) : null] : [];
      rows.push([m.name, cohort, e.auc, `${e.ci95[0].toFixed(3)}–${e.ci95[1].toFixed(3)}`, e.accuracy, e.sensitivity, e.specificity, e.delongP, e.brier, e.hosmerLemeshow?.p ?? null, ...p,
        ...(cohort === 'training' ? corrected(m.name) : corrected('').map(() => null)), note]);
    }
  for (const o of opt.values()) if (o.kind === 'region') rows.push([o.model, 'training', ...Array<null>(perm ? 9 : 8).fill(null), ...corrected(o.model), 'region model (bootstrap internal validation only)']);
  return csv(rows);
}

/** The permutation test (only when it ran): every region and model, its internal AUC, how many permuted runs reached it, and p. */
export function permutationCsv(r: StudyResult): string {
  const t = r.analysis.permutation;
  const rows: (string | number | null)[][] = [['region or model', 'statistic', 'observed', 'permuted ≥ observed', 'permutations', 'permutation p']];
  for (const m of t?.models ?? []) rows.push([m.name, m.statistic, m.observed, m.atLeast, t!.permutations, m.p]);
  return csv(rows);
}

/** One sentence on how the optimism-corrected columns were computed. */
export function optimismSentence(r: StudyResult): string {
  const o = r.analysis.optimism;
  if (!o) return 'Bootstrap internal validation: off (models.bootstrap: 0).';
  return `Optimism-corrected columns: Harrell's bootstrap (as rms::validate) with ${o.resamples} resamples of the training cohort (seed ${o.seed}); each resample repeats imputation, the selection funnel (LASSO at each region's chosen λ), the clinical model and the classifiers; the best habitat stays as chosen. AUC .632+: Efron & Tibshirani's .632+ from the same resamples' models, scored on the patients each resample left out, with more weight on them the more the model overfits; prefer it to Harrell's for a model that memorises its training rows (an RBF SVM), which Harrell's method under-corrects.`;
}

/** The figures of the report as SVG strings, by file name. */
export function studyFigures(r: StudyResult): Record<string, string> {
  const a = r.analysis;
  const figs: Record<string, string> = {};
  figs['bic.svg'] = lineChartSvg(
    Object.entries(r.habitats).flatMap(([seq, h]) => [
      { name: `${seq} BIC (k = ${h.k})`, x: h.bic.ks, y: h.bic.bic, style: 'line+markers' as const },
      { name: `${seq} ICL`, x: h.bic.ks, y: h.bic.icl, style: 'dashed' as const },
    ]),
    { title: 'BIC curve', xLabel: 'number of habitats k', yLabel: 'BIC / ICL (lower is better)' },
  );
  figs['funnel.svg'] = barChartSvg(
    a.regions.map((g) => `${g.sequence} ${g.region}`),
    (['icc', 'univariate', 'correlation', 'lasso'] as const).map((step) => ({ name: step, values: a.regions.map((g) => g.funnel[step]) })),
    { title: 'Feature selection funnel', xLabel: '', yLabel: 'features' },
  );
  for (const seq of Object.keys(a.bestHabitat)) {
    const g = a.regions.find((x) => x.sequence === seq && x.region === a.bestHabitat[seq]);
    if (!g?.cv) continue;
    const logL = g.cv.lambdas.map((l) => Math.log(l));
    figs[`lasso-cv-${seq}.svg`] = lineChartSvg(
      [
        { name: 'CV deviance', x: logL, y: g.cv.cvMean, style: 'line+markers' },
        { name: '+1 SE', x: logL, y: g.cv.cvMean.map((m, i) => m + g.cv!.cvSe[i]!), style: 'dashed' },
        { name: '−1 SE', x: logL, y: g.cv.cvMean.map((m, i) => m - g.cv!.cvSe[i]!), style: 'dashed' },
      ],
      { title: `LASSO CV curve — ${seq} ${g.region}`, xLabel: 'log(λ)', yLabel: 'binomial deviance', markX: Math.log(g.lambda ?? g.cv.lambdaMin) },
    );
    const path = g.cv.path;
    figs[`lasso-path-${seq}.svg`] = lineChartSvg(
      g.cv.pathNames.map((n, j) => ({ name: n.length > 40 ? n.slice(0, 40) + '…' : n, x: logL, y: path.map((row) => row[j]!) })).slice(0, 12),
      { title: `LASSO coefficient path — ${seq} ${g.region}`, xLabel: 'log(λ)', yLabel: 'coefficient', markX: Math.log(g.lambda ?? g.cv.lambdaMin) },
    );
  }
  for (const cohort of ['training', 'validation'] as const) {
    figs[`roc-${cohort}.svg`] = lineChartSvg(
      a.models.map((m) => ({ name: `${m.name} (AUC ${m[cohort].auc.toFixed(3)})`, x: m[cohort].roc.fpr, y: m[cohort].roc.tpr })),
      { title: `ROC curve — ${cohort}`, label: 'ROC curve', xLabel: '1 − specificity', yLabel: 'sensitivity', xRange: [0, 1], yRange: [0, 1], diagonal: true },
    );
    figs[`calibration-${cohort}.svg`] = lineChartSvg(
      a.models.map((m) => ({ name: `${m.name} (Brier ${m[cohort].brier.toFixed(3)})`, x: m[cohort].calibration.meanPredicted, y: m[cohort].calibration.fractionPositive, style: 'line+markers' as const })),
      { title: `Calibration curve — ${cohort}`, label: 'Calibration curve', xLabel: 'mean predicted probability', yLabel: 'observed fraction positive', xRange: [0, 1], yRange: [0, 1], diagonal: true },
    );
    const dc = a.decisionCurve;
    const series: Series[] = [
      ...Object.entries(dc[cohort]).map(([name, nb]) => ({ name, x: dc.thresholds, y: nb })),
      { name: 'Treat all', x: dc.thresholds, y: dc.treatAll[cohort], style: 'dashed' },
      { name: 'Treat none', x: [0, 1], y: [0, 0], style: 'dashed', colour: '#000' },
    ];
    const top = Math.max(0.05, ...Object.values(dc[cohort]).flat(), ...dc.treatAll[cohort]);
    figs[`decision-${cohort}.svg`] = lineChartSvg(series, {
      title: `Decision curve — ${cohort}`,
      label: 'Decision curve',
      xLabel: 'threshold probability',
      yLabel: 'net benefit',
      xRange: [0, 1],
      yRange: [-0.05, top * 1.05],
    });
  }
  return figs;
}

function htmlTable(csvText: string): string {
  const parsed = Papa.parse<string[]>(csvText.trim(), { skipEmptyLines: true });
  const [head, ...body] = parsed.data;
  if (!head) throw new Error('report: a table without a header row');
  const fmt = (c: string) => {
    const x = Number(c);
    return c !== '' && Number.isFinite(x) && !/^\d+$/.test(c) ? String(+x.toPrecision(4)) : c;
  };
  return `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${body
    .map((row) => `<tr>${row.map((c) => `<td>${escapeXml(fmt(c))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The plain "no evidence" sentences, one per sequence without evidence (empty when every sequence has some). */
export function evidenceHtml(evidence: SequenceEvidence[] | undefined): string {
  const none = (evidence ?? []).filter((e) => e.statement);
  if (none.length === 0) return '';
  return `<div class="evidence"><p><b>No evidence of discrimination.</b> The composite models below are still built, and flagged.</p><ul>${none.map((e) => `<li>${escapeXml(e.statement!)}</li>`).join('')}</ul></div>`;
}

/** A self-contained HTML report (inline SVG figures, no script, no external resource). */

/** One line on how the series were prepared (N4 and its mask, normalisation, grid, registration). */
function preprocessingSummary(c: StudyConfig): string {
  const pp = c.preprocessing;
  // a config from before n4Mask (model.json of an older study) ran N4 on every voxel
  const mask = (pp.n4Mask ?? 'none') === 'otsu' ? 'on the Otsu foreground' : 'on every voxel (no mask)';
  const levels = pp.n4SplineDistance == null ? 'ITK’s 4 levels' : `B-spline spans ≥ ${pp.n4SplineDistance} mm`;
  const n4 = pp.n4 ? `N4 bias-field correction ${mask} (${levels})` : 'no N4';
  const norm = pp.normalize === 'none' ? 'no normalisation' : `${pp.normalize} normalisation${pp.clip ? ` clipped at percentiles ${pp.clip.join('–')}` : ''}`;
  const grid = pp.resample ? `resampled to ${pp.resample.join(' × ')} mm (${pp.interpolator})` : 'original spacing';
  return [n4, norm, grid, pp.register === 'none' ? 'no registration' : `${pp.register} registration onto ${c.reference}`].join('; ');
}

export function studyHtml(r: StudyResult, report: StudyReport): string {
  const figs = studyFigures(r);
  const a = r.analysis;
  const fig = (name: string) => (figs[name] ? `<figure>${figs[name]}</figure>` : '');
  const perm = a.permutation;
  const permCell = (name: string) => (perm ? `<td>${permutationP(perm, name)?.toFixed(3) ?? '—'}</td>` : '');
  const regionRows = a.regions
    .map(
      (g) =>
        `<tr><td>${escapeXml(g.sequence)}</td><td>${g.region}${a.bestHabitat[g.sequence] === g.region ? ' ★' : ''}</td><td>${g.funnel.extracted}</td><td>${g.funnel.icc}</td><td>${g.funnel.univariate}</td><td>${g.funnel.correlation}</td><td>${g.funnel.lasso}</td><td>${g.auc.cvTraining?.toFixed(3) ?? '—'}</td>${permCell(`${g.sequence} ${g.region}`)}<td>${g.auc.training?.toFixed(3) ?? '—'}</td><td>${g.auc.validation?.toFixed(3) ?? '—'}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Habitat study report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>body{font:14px/1.45 Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}table{border-collapse:collapse;margin:1em 0;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#f3f3f3}figure{display:inline-block;margin:.5em}.note{color:#666}.evidence{border-left:4px solid #c60;padding:.2em 1em;background:#fff6ee}</style></head>
<body>
<h1>Habitat radiomics study</h1>
<p>${report.cohort.patients} patients (training ${report.cohort.training}, validation ${report.cohort.validation}); outcome <b>${escapeXml(r.config.outcome)}</b>; sequences ${r.config.sequences.map(escapeXml).join(', ')} (reference ${escapeXml(r.config.reference)}). Generated ${escapeXml(report.generatedAt)} by ${SOFTWARE.name} ${SOFTWARE.version}.</p>
<p>Preprocessing: ${escapeXml(preprocessingSummary(r.config))}.</p>
${a.harmonisation ? `<p>Harmonisation: ComBat across “${escapeXml(a.harmonisation.batch)}”, fitted on training patients only (and in every nested-CV fold). Training cohort: ${escapeXml(a.harmonisation.summary.training)}. Validation cohort: ${escapeXml(a.harmonisation.summary.validation)}.</p>\n` : ''}${r.excluded.length ? `<p class="note">Excluded: ${r.excluded.map((e) => escapeXml(`${e.id} — ${e.reason}`)).join('; ')}</p>` : ''}
<h2>Habitats</h2>
<p>${Object.entries(r.habitats).map(([s, h]) => `${escapeXml(s)}: k = ${h.k} (${h.kChosenBy === 'user' ? 'set by the user' : `minimum ${h.kChosenBy.toUpperCase()}`})`).join('; ')}.</p>
${fig('bic.svg')}
<h2>Feature selection per region</h2>
<table><thead><tr><th>sequence</th><th>region</th><th>extracted</th><th>ICC</th><th>t/U</th><th>|r| ≤ ${r.config.selection.correlation}</th><th>LASSO</th><th>CV AUC (train)</th>${perm ? '<th>permutation p</th>' : ''}<th>AUC train</th><th>AUC validation</th></tr></thead><tbody>${regionRows}</tbody></table>
<p class="note">★ best habitat of the sequence (highest cross-validated training AUC among habitats with a model).</p>
${evidenceHtml(a.evidence)}
${fig('funnel.svg')}
${Object.keys(figs).filter((f) => f.startsWith('lasso-')).map(fig).join('')}
<h2>Table 1 — cohorts</h2>${htmlTable(table1Csv(r))}
<h2>Table 2 — clinical logistic regression (training)</h2>${htmlTable(table2Csv(r))}
<p>Clinic model inputs: ${a.table2.clinicInputs.map(escapeXml).join(', ') || '—'}</p>
<h2>Table 3 — models</h2>${htmlTable(table3Csv(r))}${perm ? `<p class="note">${escapeXml(permutationSummary(perm))}</p>` : ''}
<p class="note">${escapeXml(optimismSentence(r))}</p>
<h2>ROC curves</h2>${fig('roc-training.svg')}${fig('roc-validation.svg')}
<h2>Calibration</h2>${fig('calibration-training.svg')}${fig('calibration-validation.svg')}
<h2>Decision curves</h2>${fig('decision-training.svg')}${fig('decision-validation.svg')}
${r.notes.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

/** Everything a saved model needs to score a new patient (study bundle `model.json`). */
export function studyModelBundle(r: StudyResult): StudyModelBundle {
  const a = r.analysis;
  return {
    schema: MODEL_SCHEMA,
    version: MODEL_VERSION,
    configVersion: STUDY_CONFIG_VERSION,
    config: r.config,
    extraction: { imageType: r.extraction.imageType, featureClass: r.extraction.featureClass, setting: r.extraction.givenSetting },
    habitatModels: r.habitatModels,
    regions: a.regions.map((g) => ({ sequence: g.sequence, region: g.region, radScore: g.radScore })),
    bestHabitat: a.bestHabitat,
    clinicInputs: a.table2.clinicInputs,
    models: a.models.map((m) => ({ name: m.name, inputs: m.inputs, threshold: m.threshold, scaler: m.scaler, classifier: m.classifier })),
    // for external validation: the internal validation cohort's outcomes and risks (no ids), Table 3's summaries
    internal: internalValidation(a),
    // ComBat of the best habitats' features on the training patients (one reference batch), for `validate --harmonise`
    // (a study fitted with ComBat: its own per-region models, applied as the study applied them)
    harmonisation: a.harmonisation
      ? studyHarmonisationBlock(a.harmonisation.batch, a.harmonisation.regions, a.bestHabitat)
      : trainingHarmonisation(r.features, a.split.training, a.bestHabitat),
  };
}
