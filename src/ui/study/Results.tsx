/** The finished study: the paper's figures (interactive, exportable) and Tables 1–3. */
import { useMemo } from 'react';
import Papa from 'papaparse';
import type { PlotLayout, PlotTrace } from 'plotly.js-basic-dist-min';
import type { StudyView } from '../../../workers/study-api.js';
import { Plot, type PlotProps } from './Plot.js';
import { ciIncludesHalf, permutationSummary } from '../../core/index.js';
import { ObserverIccTable } from './ObserverIccTable.js';

const UNIT: PlotLayout = { xaxis: { range: [0, 1] }, yaxis: { range: [0, 1] } };
const diagonal: PlotTrace = { x: [0, 1], y: [0, 1], name: 'chance', mode: 'lines', line: { dash: 'dot', color: '#777' } };

export function CsvTable({ title, csv }: { title: string; csv: string }) {
  const rows = useMemo(() => Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data, [csv]);
  const [head, ...body] = rows;
  const fmt = (c: string) => {
    const x = Number(c);
    return c !== '' && Number.isFinite(x) && !/^-?\d+$/.test(c) ? String(+x.toPrecision(4)) : c;
  };
  if (!head) return null;
  return (
    <div className="table-wrap">
      <table aria-label={title}>
        <caption>{title}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{fmt(c)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Results({ view }: { view: StudyView }) {
  const r = view.result;
  const a = r.analysis;
  const figs = useMemo(() => {
    const bic: PlotTrace[] = Object.entries(r.habitats).map(([seq, h]) => ({ x: h.bic.ks, y: h.bic.bic, name: `${seq} (k = ${h.k})`, mode: 'lines+markers' }));
    // One trace per habitat (Hab1…), a bar per sequence: the mean volume over the patients.
    const seqs = Object.keys(r.habitats);
    const kMax = Math.max(0, ...Object.values(r.habitats).map((h) => h.k));
    const volumes: PlotTrace[] = Array.from({ length: kMax }, (_, j) => ({
      type: 'bar' as const,
      x: seqs,
      y: Object.values(r.habitats).map((h) => {
        if (j >= h.k) return 0;
        const per = Object.values(h.perPatient);
        return per.reduce((s, p) => s + (p.volumesMm3[j] ?? 0), 0) / Math.max(1, per.length) / 1000;
      }),
      name: `Hab${j + 1}`,
    }));
    const funnelSteps = ['extracted', 'icc', 'univariate', 'correlation', 'lasso'] as const;
    const funnel: PlotTrace[] = funnelSteps.map((step) => ({ type: 'bar', x: a.regions.map((g) => `${g.sequence} ${g.region}`), y: a.regions.map((g) => g.funnel[step]), name: step }));
    const lasso = Object.entries(a.bestHabitat).flatMap(([seq, region]) => {
      const g = a.regions.find((x) => x.sequence === seq && x.region === region);
      if (!g?.cv) return [];
      const cv = g.cv;
      const logL = cv.lambdas.map((l) => Math.log(l));
      const chosen = Math.log(g.lambda ?? cv.lambdaMin);
      const mark = [{ type: 'line', x0: chosen, x1: chosen, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dash', color: '#e0b050' } }];
      return [
        {
          key: `${seq}-${region}`,
          title: `${seq} ${region}`,
          cv: [{ x: logL, y: cv.cvMean, name: 'CV deviance', mode: 'lines+markers', error_y: { type: 'data', array: cv.cvSe, visible: true } }] as PlotTrace[],
          path: cv.pathNames.slice(0, 15).map((n, j) => ({ x: logL, y: cv.path.map((row) => row[j]), name: n.length > 36 ? `${n.slice(0, 36)}…` : n, mode: 'lines' })) as PlotTrace[],
          layout: { shapes: mark, xaxis: { title: { text: 'log(λ)' } } } as PlotLayout,
        },
      ];
    });
    const byCohort = (['training', 'validation'] as const).map((cohort) => ({
      cohort,
      roc: [...a.models.map((m) => ({ x: m[cohort].roc.fpr, y: m[cohort].roc.tpr, name: `${m.name} (AUC ${m[cohort].auc.toFixed(3)})`, mode: 'lines' as const })), diagonal],
      calibration: [
        ...a.models.map((m) => ({ x: m[cohort].calibration.meanPredicted, y: m[cohort].calibration.fractionPositive, name: `${m.name} (Brier ${m[cohort].brier.toFixed(3)})`, mode: 'lines+markers' as const })),
        diagonal,
      ],
      decision: [
        ...Object.entries(a.decisionCurve[cohort]).map(([name, nb]) => ({ x: a.decisionCurve.thresholds, y: nb, name, mode: 'lines' as const })),
        { x: a.decisionCurve.thresholds, y: a.decisionCurve.treatAll[cohort], name: 'Treat all', mode: 'lines' as const, line: { dash: 'dash' } },
        { x: [0, 1], y: [0, 0], name: 'Treat none', mode: 'lines' as const, line: { dash: 'dot', color: '#aaa' } },
      ] as PlotTrace[],
      decisionTop: Math.max(0.05, ...Object.values(a.decisionCurve[cohort]).flat(), ...a.decisionCurve.treatAll[cohort]),
    }));
    const list: PlotProps[] = [
      { label: 'BIC curve', title: 'BIC curve', file: 'bic', data: bic, layout: { xaxis: { title: { text: 'number of habitats k' } }, yaxis: { title: { text: 'BIC' } } } },
      { label: 'Habitat volumes', title: 'Mean habitat volume (cm³)', file: 'habitat-volumes', data: volumes, layout: { barmode: 'stack', yaxis: { title: { text: 'cm³' } } } },
      { label: 'Feature funnel', title: 'Feature selection funnel per region', file: 'funnel', data: funnel, layout: { barmode: 'group', yaxis: { type: 'log', title: { text: 'features' } } } },
      ...lasso.map((l) => ({ label: 'LASSO CV curve', title: `LASSO CV — ${l.title}`, file: `lasso-cv-${l.key}`, data: l.cv, layout: { ...l.layout, yaxis: { title: { text: 'binomial deviance' } } } })),
      ...lasso.map((l) => ({ label: 'LASSO coefficient path', title: `LASSO path — ${l.title}`, file: `lasso-path-${l.key}`, data: l.path, layout: { ...l.layout, yaxis: { title: { text: 'coefficient' } } } })),
      ...byCohort.map((c) => ({ label: 'ROC curve', title: `ROC curve — ${c.cohort}`, file: `roc-${c.cohort}`, data: c.roc, layout: { ...UNIT, xaxis: { range: [0, 1], title: { text: '1 − specificity' } }, yaxis: { range: [0, 1], title: { text: 'sensitivity' } } } })),
      ...byCohort.map((c) => ({ label: 'Calibration curve', title: `Calibration curve — ${c.cohort}`, file: `calibration-${c.cohort}`, data: c.calibration, layout: { xaxis: { range: [0, 1], title: { text: 'mean predicted probability' } }, yaxis: { range: [0, 1], title: { text: 'observed fraction positive' } } } })),
      ...byCohort.map((c) => ({ label: 'Decision curve', title: `Decision curve — ${c.cohort}`, file: `decision-${c.cohort}`, data: c.decision, layout: { xaxis: { range: [0, 1], title: { text: 'threshold probability' } }, yaxis: { range: [-0.05, c.decisionTop * 1.05], title: { text: 'net benefit' } } } })),
    ];
    return list;
  }, [r, a]);

  return (
    <section className="results" aria-label="Study results">
      <h2>
        Results · {view.cohortTitle} · {a.ids.length} patients ({a.split.training.length} training, {a.split.validation.length} validation), {r.excluded.length} excluded ·{' '}
        {view.seconds.toFixed(0)} s · {new Date(view.finishedAt).toLocaleString()}
      </h2>
      <p className="hint">
        Habitats: {Object.entries(r.habitats).map(([s, h]) => `${s} k = ${h.k} (${h.kChosenBy})`).join(', ')} · best habitat:{' '}
        {Object.entries(a.bestHabitat).map(([s, h]) => `${s} ${h}`).join(', ') || 'none'} · AUC (validation):{' '}
        {a.models.map((m) => `${m.name} ${m.validation.auc.toFixed(3)}${ciIncludesHalf(m.validation.ci95) ? ' (CI includes 0.5)' : ''}`).join(', ')}
      </p>
      {a.optimism && (
        <p className="hint" data-testid="optimism-summary">
          AUC on training, apparent → optimism-corrected (Harrell) · .632+ (Efron) ({a.optimism.resamples} bootstrap resamples):{' '}
          {a.optimism.models
            .filter((m) => m.kind === 'composite')
            .map((m) => `${m.model} ${m.auc.apparent?.toFixed(3) ?? '—'} → ${m.auc.corrected?.toFixed(3) ?? '—'} · ${m.plus632?.auc.estimate?.toFixed(3) ?? '—'}`)
            .join(', ')}{' '}
          (every model, with calibration slope and Brier: Table 3)
        </p>
      )}
      {(a.evidence ?? []).some((e) => e.statement) && (
        <div className="evidence" role="note" aria-label="No evidence of discrimination">
          <p>
            <b>No evidence of discrimination.</b> The composite models are still built, and flagged in Table 3.
          </p>
          <ul>
            {(a.evidence ?? []).filter((e) => e.statement).map((e) => (
              <li key={e.sequence}>{e.statement}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="plots">
        {figs.map((f) => (
          <Plot key={f.file} {...f} />
        ))}
      </div>
      {view.observerIcc && <ObserverIccTable table={view.observerIcc} />}
      <CsvTable title="Table 1 — patient characteristics" csv={view.files['table1.csv'] ?? ''} />
      <CsvTable title="Table 2 — clinical factors (odds ratios)" csv={view.files['table2.csv'] ?? ''} />
      <CsvTable title="Table 3 — model performance" csv={view.files['table3.csv'] ?? ''} />
      {a.permutation && view.files['permutation.csv'] && (
        <>
          <CsvTable title="Permutation test — p of each internal AUC" csv={view.files['permutation.csv']} />
          <p className="hint">{permutationSummary(a.permutation)}</p>
        </>
      )}
      {r.excluded.length > 0 && (
        <details>
          <summary>{r.excluded.length} excluded patient(s)</summary>
          <ul>
            {r.excluded.map((e) => (
              <li key={e.id}>
                {e.id}: {e.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
