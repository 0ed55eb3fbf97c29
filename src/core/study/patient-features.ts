/**
 * Stage 3 of the study, per patient: habitat maps from the cohort models and
 * radiomic features of every region — the whole tumour ("total") and each
 * habitat ("Hab1" … "Habk") of every sequence — with the study's PyRadiomics
 * settings. With a second observer's VOI, the same regions are also computed
 * from it for the ICC filter. A habitat with fewer than two voxels in a patient
 * cannot give texture features: its features are missing (NaN) and the
 * selection stage imputes them (docs/study.md).
 */
import type { Volume } from '../image/volume.js';
import { applyHabitatModel, type HabitatMap, type HabitatModel } from '../habitats/habitat-model.js';
import { extractFeatures } from '../radiomics/extractor.js';
import type { ExtractionParams } from '../radiomics/params.js';
import type { PreparedPatient } from './prepare.js';

/** A region of a sequence: the whole tumour or habitat N (1-based). */
export type RegionName = 'total' | `Hab${number}`;
/** Region key: `<sequence>|<region>`. */
export type RegionKey = `${string}|${RegionName}`;

export function regionKey(sequence: string, region: RegionName): RegionKey {
  return `${sequence}|${region}`;
}

/** The model input (model.json `inputs`, predictions) holding a region's Rad-score. */
export function radScoreInput(sequence: string, region: RegionName): string {
  return `Rad-score ${sequence} ${region}`;
}

/** Whether a model input is a Rad-score of `sequence`. */
export const isRadScoreOf = (input: string, sequence: string): boolean => input.startsWith(`Rad-score ${sequence} `);

/** The region name of habitat `h` (1-based). */
export function habitatRegion(h: number): RegionName {
  return `Hab${h}`;
}

/** The habitat number of a region name ("Hab3" → 3); throws for "total" or anything else. */
export function habitatNumber(region: string): number {
  const m = /^Hab([1-9][0-9]*)$/.exec(region);
  if (!m) throw new Error(`"${region}" is not a habitat region (Hab1, Hab2, …)`);
  return Number(m[1]);
}

export interface PatientFeatures {
  id: string;
  /** Feature values by region key, then feature name (numeric features only). */
  regions: Record<string, Record<string, number>>;
  /** The same from the second observer's VOI, when there is one. */
  regions2?: Record<string, Record<string, number>>;
  habitats: Record<string, { voxelCounts: number[]; volumesMm3: number[]; fractions: number[]; missing: number[] }>;
  /** Problems that did not stop the patient (e.g. a habitat too small for features). */
  notes: string[];
}

function numericFeatures(v: Record<string, number | string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('diagnostics_')) continue;
    out[k] = typeof x === 'number' ? x : Number(x);
  }
  return out;
}

function regionMask(labels: Volume, h: number): { mask: Volume; n: number } {
  const data = new Uint8Array(labels.data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++)
    if (labels.data[i] === h) {
      data[i] = 1;
      n++;
    }
  return { mask: { ...labels, data }, n };
}

/** Features of every sequence of `p`: the whole tumour, and the habitats of the sequences with a map. */
function extractRegions(
  p: PreparedPatient,
  voi: Volume,
  maps: Partial<Record<string, HabitatMap>>,
  params: ExtractionParams,
  featureNames: string[] | null,
  notes: string[],
  observer: string,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const nan = () => Object.fromEntries((featureNames ?? []).map((f) => [f, NaN]));
  for (const [seq, image] of Object.entries(p.images)) {
    const map = maps[seq];
    const total = extractFeatures(image, voi, { params, label: 1, imageName: `${p.id}/${seq}`, maskName: `${p.id}/${observer}` });
    const totalNumeric = numericFeatures(total);
    featureNames ??= Object.keys(totalNumeric);
    out[regionKey(seq, 'total')] = totalNumeric;
    for (let h = 1; h <= (map?.voxelCounts.length ?? 0); h++) {
      const { mask, n } = regionMask(map!.labels, h);
      const key = regionKey(seq, habitatRegion(h));
      if (n < 2) {
        notes.push(`patient ${p.id}: ${seq} Hab${h} has ${n} voxel${n === 1 ? '' : 's'} (${observer}); its features are missing`);
        out[key] = nan();
        continue;
      }
      try {
        out[key] = numericFeatures(extractFeatures(image, mask, { params, label: 1, imageName: `${p.id}/${seq}`, maskName: `${p.id}/${seq}-Hab${h}` }));
      } catch (e) {
        notes.push(`patient ${p.id}: ${seq} Hab${h} (${observer}): ${e instanceof Error ? e.message : String(e)}; its features are missing`);
        out[key] = nan();
      }
    }
  }
  return out;
}

/** Habitat maps of one patient (per sequence) under the cohort models. */
export function patientHabitatMaps(p: PreparedPatient, models: Record<string, HabitatModel>, voi: Volume = p.mask): Record<string, HabitatMap> {
  const maps: Record<string, HabitatMap> = {};
  for (const [seq, model] of Object.entries(models)) maps[seq] = applyHabitatModel(model, { images: p.images, mask: voi }, p.id);
  return maps;
}

/**
 * Features of one prepared patient: every sequence's whole tumour, and the
 * habitats of the sequences with a cohort model (the study passes one for
 * every sequence; with none, only the whole tumour: the ICC table before a
 * run, observer-preview.ts).
 */
export function patientFeatures(p: PreparedPatient, models: Record<string, HabitatModel>, params: ExtractionParams): PatientFeatures {
  const notes: string[] = [];
  const maps = patientHabitatMaps(p, models);
  const regions = extractRegions(p, p.mask, maps, params, null, notes, 'mask');
  const names = Object.keys(Object.values(regions)[0] ?? {});
  const habitats: PatientFeatures['habitats'] = {};
  for (const [seq, m] of Object.entries(maps)) habitats[seq] = { voxelCounts: m.voxelCounts, volumesMm3: m.volumesMm3, fractions: m.fractions, missing: m.missing };
  const out: PatientFeatures = { id: p.id, regions, habitats, notes };
  if (p.mask2) {
    const maps2 = patientHabitatMaps(p, models, p.mask2);
    out.regions2 = extractRegions(p, p.mask2, maps2, params, names, notes, 'mask2');
  }
  return out;
}
