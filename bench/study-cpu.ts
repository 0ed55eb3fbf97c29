/**
 * CPU-time accounting of the demo study (issue 20), which a busy machine does
 * not distort the way it distorts wall times: the study's own `runStudy` with
 * the functions the browser's study workers run (workers/study.worker.ts: the
 * demo generator, `preparePatient` with elastix, `patientFeatures`), called one
 * at a time in this process, each timed with `process.cpuUsage()` (this
 * process's threads: the garbage collector's helpers included).
 *
 * Settings (HABITAT_BENCH_STUDY): `paper` (default; the app's "Paper
 * settings": the default study with Original + LoG σ 1/3/5 + wavelet, N4,
 * registration, 1 mm) or `quick` (Original features only). Patients: the first
 * HABITAT_BENCH_PATIENTS (default 12) of a demo cohort of
 * HABITAT_BENCH_COHORT patients (default 179, the paper's size, seed 2025: the
 * browser's `?demo-patients=179`).
 *
 * Prints one JSON line per stage (CPU per patient, min / median / max where it
 * is per patient) and a projection for the cohort: the per-patient stages
 * (prepare, features) run in the study workers, so their CPU divides by the
 * cores; habitats run in the study runner, one thread. The analysis is
 * measured at this N only (its cost grows with the cohort and the features;
 * the projection leaves it out and says so).
 * Not counted: the browser's copies between workers and IndexedDB writes, the
 * page's rendering, WebAssembly compile time of a new worker; the bench
 * prints the cost of one structured clone of a prepared patient and of its
 * features for scale.
 */
import os from 'node:os';
import { DEFAULT_STUDY_CONFIG, PAPER_EXTRACTION_PARAMS } from '../src/core/study/config.js';
import { parseClinicalCsv } from '../src/core/study/clinical.js';
import { runStudy, type StudyExecutor, type StudyStage } from '../src/core/study/pipeline.js';
import { preparePatient, type PreparedPatient } from '../src/core/study/prepare.js';
import { patientFeatures, type PatientFeatures } from '../src/core/study/patient-features.js';
import { validateParams } from '../src/core/radiomics/params.js';
import { elastixCachedNode } from '../src/core/image/register-node.js';
import { demoClinicalCsv, demoPatientId, generateDemoPatient } from '../src/demo/demo.js';

const settings = process.env.HABITAT_BENCH_STUDY === 'quick' ? 'quick' : 'paper';
const n = Number(process.env.HABITAT_BENCH_PATIENTS ?? 12);
const cohort = Number(process.env.HABITAT_BENCH_COHORT ?? 179);
const cores = Number(process.env.HABITAT_BENCH_CORES ?? 2);
const demo = { patients: cohort, seed: 2025 };

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
/** CPU ms of `f`; calls run one at a time (a queue), so the figure is that call's alone. */
let queue: Promise<unknown> = Promise.resolve();
function timed<T>(into: number[], f: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    const c0 = cpuMs();
    const r = await f();
    into.push(cpuMs() - c0);
    return r;
  });
  queue = run.catch(() => undefined);
  return run;
}

const perPatient = { generate: [] as number[], prepare: [] as number[], features: [] as number[], clonePrepared: [] as number[], cloneFeatures: [] as number[] };
let regions = 0;
const executor: StudyExecutor = {
  workers: 1,
  prepare: (src) =>
    timed(perPatient.generate, async () => src.load()).then((p) =>
      timed(perPatient.prepare, () => preparePatient(p, config, { elastix: elastixCachedNode })).then((r: PreparedPatient) => {
        const c0 = cpuMs();
        structuredClone(r);
        perPatient.clonePrepared.push(cpuMs() - c0);
        return r;
      }),
    ),
  features: (p, models, params) =>
    timed(perPatient.features, () => Promise.resolve(patientFeatures(p, models, params))).then((f: PatientFeatures) => {
      regions += Object.keys(f.regions).length + Object.keys(f.regions2 ?? {}).length;
      const c0 = cpuMs();
      structuredClone(f);
      perPatient.cloneFeatures.push(cpuMs() - c0);
      return f;
    }),
};

const config = structuredClone(DEFAULT_STUDY_CONFIG);
const params = validateParams(settings === 'paper' ? PAPER_EXTRACTION_PARAMS : { ...PAPER_EXTRACTION_PARAMS, imageType: { Original: {} } }, `${settings} settings`);
const ids = Array.from({ length: n }, (_, i) => i);
const clinical = parseClinicalCsv('demo clinical.csv', demoClinicalCsv(demo), {
  idColumn: config.id,
  outcomeColumn: config.outcome,
  positive: config.positive,
  categorical: config.clinical.categorical,
  variables: config.clinical.variables === 'auto' ? undefined : config.clinical.variables,
});
const sources = ids.map((i) => {
  const id = demoPatientId(i);
  return {
    id,
    load: async () => {
      const p = generateDemoPatient(i, demo);
      return { id, series: p.series, mask: p.mask, mask2: p.mask2 };
    },
  };
});
// the clinical table lists the whole cohort; the study takes the patients with images
const stageEnd: Partial<Record<StudyStage, number>> = {};
const load0 = os.loadavg()[0]!;
const t0 = performance.now();
const c0 = cpuMs();
await runStudy(sources, clinical, config, params, {
  executor,
  progress: (p) => {
    if (p.done === p.total && (p.stage !== 'analysis' || p.done > 0)) stageEnd[p.stage] = cpuMs();
  },
});
const wall = performance.now() - t0;
const total = cpuMs() - c0;
const load = `${load0.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}`;

const s = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const sum = v.reduce((a, b) => a + b, 0);
  return { meanS: +(sum / v.length / 1000).toFixed(3), minS: +((v[0] ?? 0) / 1000).toFixed(3), medianS: +((v[v.length >> 1] ?? 0) / 1000).toFixed(3), maxS: +((v.at(-1) ?? 0) / 1000).toFixed(3), totalS: +(sum / 1000).toFixed(1) };
};
const habitatsMs = (stageEnd.habitats ?? NaN) - (stageEnd.prepare ?? NaN);
const analysisMs = (stageEnd.done ?? NaN) - (stageEnd.features ?? NaN);
const name = (what: string) => `study CPU (${settings} settings, ${n} of ${cohort} demo patients): ${what}`;
const line = (what: string, o: Record<string, unknown>) => console.log(JSON.stringify({ name: name(what), ...o, runLoad: load }));
line('load (demo generator) per patient', { ms: s(perPatient.generate).meanS * 1000, ...s(perPatient.generate) });
line('prepare (N4, normalise, register, resample) per patient', { ms: s(perPatient.prepare).meanS * 1000, ...s(perPatient.prepare) });
line('habitats (cohort fit, 3 sequences)', { ms: habitatsMs, cpuS: +(habitatsMs / 1000).toFixed(2) });
line('features per patient', { ms: s(perPatient.features).meanS * 1000, ...s(perPatient.features), regionsPerPatient: +(regions / n).toFixed(2) });
line('analysis', { ms: analysisMs, cpuS: +(analysisMs / 1000).toFixed(2) });
line('structured clone of a prepared patient / of its features', { ms: s(perPatient.clonePrepared).meanS * 1000, clonePreparedS: s(perPatient.clonePrepared).meanS, cloneFeaturesS: s(perPatient.cloneFeatures).meanS });
const perPatientCpu = s(perPatient.generate).meanS + s(perPatient.prepare).meanS + s(perPatient.features).meanS;
const projectedS = (cohort * perPatientCpu) / cores + habitatsMs / 1000;
line(`whole run, and the projection to ${cohort} patients on ${cores} free cores`, {
  ms: wall,
  cpuS: +(total / 1000).toFixed(1),
  perPatientCpuS: +perPatientCpu.toFixed(2),
  projectedCohortCpuMin: +((cohort * perPatientCpu + habitatsMs / 1000) / 60).toFixed(1),
  projectedWallMinWithoutAnalysis: +(projectedS / 60).toFixed(1),
  note: 'projection, not a measurement: per-patient CPU × patients / cores + habitats (one thread at this N); the analysis at the full cohort is not included',
});
