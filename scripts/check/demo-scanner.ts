/**
 * What the three-centre demo's external scanner does to a study's habitats and
 * features (issue 24). The same centre-3 patients (same seeds, so the same tumours,
 * phenotypes and noise draws) are rendered under centre 1's scanner and under other
 * scanner responses; each gets the habitat maps of cohort models fitted on centres
 * 1–2 (as a study trained there saves them) and the study's features. Printed per
 * scanner against centre 1's:
 *   (a) the fraction of VOI voxels whose habitat changes (habitats are numbered by
 *       intensity, so the labels match without relabelling);
 *   (b) the Spearman correlation, across patients, of each feature of the planted
 *       signal habitats (T2WI Hab2, CE-T1WI Hab2, FSCE-T1WI Hab3) between the two
 *       scanners (median over features, and over the 10 features most associated with
 *       the phenotype under centre 1's scanner);
 *   (c) those features' Spearman correlation with the planted phenotype (the latent
 *       imaging risk) under each scanner.
 * The study settings are docs/study.md's three-centre measurement: no N4, no
 * registration, min–max normalisation, k 3/3/4, Original first order + GLCM.
 *
 * With --model (a study's model.json, trained on centres 1–2) the study's own settings,
 * habitat models and Rad-scores are used instead, and each best habitat's Rad-score and
 * its features are printed too: rank correlation with centre 1, shift of the mean (in
 * SDs under centre 1's scanner) and SD ratio, i.e. whether the scanner is a location/scale
 * batch effect that keeps the patients' order.
 *
 *   npx tsx scripts/check/demo-scanner.ts [--train 40] [--external 40] [--scanners centre3,before,gamma,...]
 *     [--scanner=name:scale,offset,gamma,noise,grain[,blur]] [--features original_firstorder_Range,...]
 *     [--model study/model.json] [--patients 3000 (the draw)]
 */
import { readFileSync } from 'node:fs';
import { DEMO_PLANTED, DEMO_SEQUENCES, DEMO_VENDORS, demoCentre, demoPatientProfile, generateDemoPatient, type DemoOptions, type DemoVendor } from '../../src/demo/demo.js';
import { applyHabitatModel, fitHabitatModel, type HabitatModel } from '../../src/core/habitats/habitat-model.js';
import { validateParams } from '../../src/core/radiomics/params.js';
import { parseStudyConfig } from '../../src/core/study/config.js';
import { patientFeatures, radScoreInput, type RegionName } from '../../src/core/study/patient-features.js';
import { descriptorOptions } from '../../src/core/study/pipeline.js';
import { preparePatient, type PreparedPatient } from '../../src/core/study/prepare.js';
import { parseModelBundle } from '../../src/core/study/apply-model.js';
import { radScore } from '../../src/core/learn/selection.js';

type Vendor = DemoVendor;
const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : d;
};
const C1: Vendor = { ...DEMO_VENDORS[0]! };
const C3: Vendor = { ...DEMO_VENDORS[2]! };
/** Centre 3's scanner before issue 24's fix: the same with γ 1.2. */
const BEFORE: Vendor = { scale: 0.8, offset: 10, gamma: 1.2, noise: 0.8, grain: 0.7 };
/** The scanners compared with centre 1's: centre 3's, the one it had before, and each of that one's parts alone. */
const SCANNERS: Record<string, Vendor> = {
  centre1: C1,
  centre3: C3,
  before: BEFORE,
  gamma: { ...C1, gamma: BEFORE.gamma },
  scaleOffset: { ...C1, scale: BEFORE.scale, offset: BEFORE.offset },
  noise: { ...C1, noise: BEFORE.noise },
  grain: { ...C1, grain: BEFORE.grain },
  noiseGrain: { ...C1, noise: BEFORE.noise, grain: BEFORE.grain },
};
for (const spec of process.argv.filter((a) => a.startsWith('--scanner='))) {
  // --scanner=name:scale,offset,gamma,noise,grain[,blur]
  const [name, v] = spec.slice('--scanner='.length).split(':');
  const [scale, offset, gamma, noise, grain, blur] = v!.split(',').map(Number);
  SCANNERS[name!] = { scale: scale!, offset: offset!, gamma: gamma!, noise: noise!, grain: grain!, blur: blur ?? 0 };
}

const DEMO: DemoOptions = { seed: 2025, centres: 3, patients: Number(arg('patients', '3000')) };
/** --model: a study's model.json (trained on centres 1–2): its settings, habitat models and Rad-scores instead of fitting habitat models here. */
const bundle = arg('model', '') ? parseModelBundle(readFileSync(arg('model', ''), 'utf8'), arg('model', '')) : null;
const config = bundle?.config ?? parseStudyConfig(['preprocessing: {n4: false, register: none}', 'habitats: {k: {T2WI: 3, CE-T1WI: 3, FSCE-T1WI: 4}}'].join('\n'), 'demo-scanner study.yaml');
const params = validateParams(bundle?.extraction ?? { imageType: { Original: {} }, featureClass: { firstorder: null, glcm: null }, setting: { binWidth: 25, label: 1 } }, 'demo-scanner params');

async function prepared(index: number, vendor: Vendor): Promise<PreparedPatient> {
  const p = generateDemoPatient(index, { ...DEMO, vendors: [DEMO_VENDORS[0]!, DEMO_VENDORS[1]!, vendor] });
  return preparePatient({ id: p.id, series: p.series, mask: p.mask }, config);
}

function ranks(x: number[]): number[] {
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Array<number>(x.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && x[order[e + 1]!] === x[order[s]!]) e++;
    for (let t = s; t <= e; t++) r[order[t]!] = (s + e) / 2;
    s = e + 1;
  }
  return r;
}
function spearman(a: number[], b: number[]): number {
  const ok = a.map((_, i) => i).filter((i) => Number.isFinite(a[i]) && Number.isFinite(b[i]));
  const ra = ranks(ok.map((i) => a[i]!));
  const rb = ranks(ok.map((i) => b[i]!));
  const m = (ok.length - 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < ok.length; i++) {
    sab += (ra[i]! - m) * (rb[i]! - m);
    saa += (ra[i]! - m) ** 2;
    sbb += (rb[i]! - m) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}
const median = (x: number[]) => {
  const s = x.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: number[]) => Math.sqrt(x.reduce((a, b) => a + (b - mean(x)) ** 2, 0) / (x.length - 1));
/** Location and scale of `x` against `ref` (the same patients): the mean difference in SDs of ref, and the SD ratio. */
const shift = (x: number[], ref: number[]) => `shift ${f2((mean(x) - mean(ref)) / sd(ref))} SD, SD ratio ${f2(sd(x) / sd(ref))}`;

async function main(): Promise<void> {
  const nTrain = Number(arg('train', '40'));
  const nExt = Number(arg('external', '40'));
  const names = arg('scanners', Object.keys(SCANNERS).join(',')).split(',');
  /** Features (e.g. a saved Rad-score's) reported one by one in every signal habitat that has them. */
  const named = arg('features', '').split(',').filter(Boolean);
  const train: number[] = [];
  const ext: number[] = [];
  for (let i = 0; train.length < nTrain || ext.length < nExt; i++) {
    const c = demoCentre(i, DEMO);
    if (c < 3 && train.length < nTrain) train.push(i);
    if (c === 3 && ext.length < nExt) ext.push(i);
  }
  const t0 = Date.now();
  const trainPrepared = bundle ? [] : await Promise.all(train.map((i) => prepared(i, C3)));
  const models: Record<string, HabitatModel> = bundle?.habitatModels ?? {};
  for (const seq of bundle ? [] : DEMO_SEQUENCES) {
    models[seq] = await fitHabitatModel(
      trainPrepared.map((p) => ({ id: p.id, load: async () => ({ images: p.images, mask: p.mask }) })),
      { sequence: seq, k: DEMO_PLANTED[seq].k, seed: config.habitats.seed, maxPooledVoxels: config.habitats.maxVoxels, descriptors: descriptorOptions(config, seq), criterion: config.habitats.criterion, curveVoxels: config.habitats.curveVoxels },
    );
    console.log(`${seq}: centroids ${models[seq]!.habitatIntensity.map((v) => v.toFixed(1)).join(' / ')}`);
  }
  console.log(bundle ? `habitat models and Rad-scores of ${arg('model', '')}` : `habitat models on ${train.length} centre-1/2 patients (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  const phenotype = ext.map((i) => demoPatientProfile(i, DEMO).phenotype);
  const signal = DEMO_SEQUENCES.map((seq) => `${seq}|Hab${DEMO_PLANTED[seq].signalHabitat}`);
  /** The study's best habitats' Rad-scores (--model), each on its region's features. */
  const radScores = (bundle ? Object.entries(bundle.bestHabitat) : []).map(([seq, region]) => {
    const rs = bundle!.regions.find((r) => r.sequence === seq && r.region === region)!.radScore;
    return { region: `${seq}|${region}`, rs };
  });
  for (const r of radScores) if (!signal.includes(r.region)) signal.push(r.region);
  /** The training SD of a region's Rad-score, from the scaler of a model that reads it. */
  const trainingSd = (region: string): number => {
    const [seq, name] = region.split('|') as [string, RegionName];
    const input = radScoreInput(seq, name);
    const m = bundle?.models.find((x) => x.inputs.includes(input));
    return m?.scaler.sd[m.inputs.indexOf(input)] ?? NaN;
  };
  type Run = { labels: Record<string, Uint8Array[]>; features: Record<string, Record<string, number[]>>; levels: Record<string, number[][]> };
  const runs: Record<string, Run> = {};
  for (const name of ['centre1', ...names.filter((n) => n !== 'centre1')]) {
    const vendor = SCANNERS[name];
    if (!vendor) throw new Error(`no scanner "${name}"`);
    const run: Run = { labels: {}, features: {}, levels: {} };
    for (const i of ext) {
      const p = await prepared(i, vendor);
      for (const seq of DEMO_SEQUENCES) {
        const map = applyHabitatModel(models[seq]!, { images: p.images, mask: p.mask }, p.id);
        const lab: number[] = [];
        const lev: number[] = [];
        const img = p.images[seq]!.data;
        for (let v = 0; v < p.mask.data.length; v++)
          if (p.mask.data[v]) {
            lab.push(map.labels.data[v]!);
            lev.push(img[v]!);
          }
        (run.labels[seq] ??= []).push(Uint8Array.from(lab));
        (run.levels[seq] ??= []).push(lev);
      }
      const f = patientFeatures(p, models, params);
      for (const region of [...signal, ...DEMO_SEQUENCES.map((s) => `${s}|total`)])
        for (const [feat, x] of Object.entries(f.regions[region] ?? {})) ((run.features[region] ??= {})[feat] ??= []).push(x);
    }
    runs[name] = run;
    console.log(`\n== scanner ${name} ${JSON.stringify(vendor)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const ref = runs.centre1!;
    for (const seq of DEMO_SEQUENCES) {
      let changed = 0, total = 0;
      run.labels[seq]!.forEach((l, p) => {
        const r = ref.labels[seq]![p]!;
        for (let v = 0; v < l.length; v++) if (l[v] !== r[v]) changed++;
        total += l.length;
      });
      const meanLevel = median(run.levels[seq]!.map((l) => l.reduce((a, b) => a + b, 0) / l.length));
      const fr = (h: number) => median(run.labels[seq]!.map((l) => l.filter((x) => x === h).length / l.length));
      console.log(`(a) ${seq}: ${(100 * changed / total).toFixed(1)} % of VOI voxels change habitat; median VOI level ${meanLevel.toFixed(1)}; median fractions ${Array.from({ length: DEMO_PLANTED[seq].k }, (_, h) => fr(h + 1).toFixed(2)).join('/')}`);
    }
    for (const region of [...signal, ...DEMO_SEQUENCES.map((s) => `${s}|total`)]) {
      const feats = Object.keys(ref.features[region] ?? {});
      const refAssoc = feats.map((f) => ({ f, r: spearman(ref.features[region]![f]!, phenotype) })).sort((a, b) => Math.abs(b.r) - Math.abs(a.r) || 0);
      const top = refAssoc.filter((x) => Number.isFinite(x.r)).slice(0, 10).map((x) => x.f);
      const cross = feats.map((f) => spearman(run.features[region]![f]!, ref.features[region]![f]!));
      const crossTop = top.map((f) => spearman(run.features[region]![f]!, ref.features[region]![f]!));
      const assocTop = top.map((f) => Math.abs(spearman(run.features[region]![f]!, phenotype)));
      const assocRef = top.map((f) => Math.abs(spearman(ref.features[region]![f]!, phenotype)));
      const rs = radScores.find((r) => r.region === region)?.rs;
      for (const f of [...new Set([...named, ...(rs?.names ?? [])])].filter((n) => ref.features[region]?.[n]))
        console.log(`${region} ${f}: rank corr. with centre 1 ${f2(spearman(run.features[region]![f]!, ref.features[region]![f]!))}; ${shift(run.features[region]![f]!, ref.features[region]![f]!)}; rho with phenotype: centre 1 ${f2(spearman(ref.features[region]![f]!, phenotype))}, here ${f2(spearman(run.features[region]![f]!, phenotype))}`);
      if (rs) {
        const score = (r: Run) => radScore(rs, ext.map((_, p) => rs.names.map((f) => r.features[region]![f]![p]!)));
        const [a, b] = [score(run), score(ref)];
        console.log(`${region} Rad-score: rank corr. with centre 1 ${f2(spearman(a, b))}; ${shift(a, b)} (training SD ${f2(trainingSd(region))})`);
      }
      const shiftTop = top.map((f) => Math.abs(mean(run.features[region]![f]!) - mean(ref.features[region]![f]!)) / sd(ref.features[region]![f]!));
      console.log(
        `${region}: (b) rank corr. with centre 1 median ${f2(median(cross))} (top-10 features ${f2(median(crossTop))}; their median |shift| ${f2(median(shiftTop))} SD); ` +
          `(c) |rho| with phenotype of centre 1's top-10: centre 1 median ${f2(median(assocRef))} max ${f2(Math.max(...assocRef))}, here median ${f2(median(assocTop))} max ${f2(Math.max(...assocTop))} [${top.slice(0, 3).map((f) => f.replace('original_', '')).join(', ')}]`,
      );
    }
  }
}

await main();
