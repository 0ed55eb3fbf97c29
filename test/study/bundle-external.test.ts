/**
 * External validations in the study bundle (issue 24): a view with external runs is
 * written as bundle version 2 and reads back to the same view and the same bytes; its
 * files are those `habitat validate` writes, under external/<n>-<cohort>/, and
 * report.html gains one External validation section per run (applying the runs again,
 * as after an import, changes nothing); without runs the bundle is version 1, byte for
 * byte the committed (version-1) fixture. The external result here is the fixture's
 * own models on its own patients' risks (predictions.csv), a real result of
 * `externalValidation`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeViewJson, encodeViewJson, MANIFEST_ENTRY, readStudyBundle, VIEW_ENTRY, writeStudyBundle } from '../../src/core/study/bundle.js';
import { parseModelBundle } from '../../src/core/study/apply-model.js';
import { externalFiles, externalValidation, type ExternalPatient } from '../../src/core/study/external.js';
import { SOFTWARE } from '../../src/core/study/report.js';
import { withExternalRun, withoutExternalRun, type ExternalRun } from '../../src/core/study/study-view.js';

const fixture = new Uint8Array(readFileSync(path.resolve('test/fixtures/study/demo-bundle.zip')));
const base = readStudyBundle('demo-bundle.zip', fixture).view;

function run(cohort: 'training' | 'validation', harmonise: boolean): ExternalRun {
  const bundle = parseModelBundle(base.files['model.json']!, 'model.json');
  const rows = Papa.parse<Record<string, string>>(base.files['predictions.csv']!.trim(), { header: true }).data.filter((r) => r.cohort === cohort);
  const patients: ExternalPatient[] = rows.map((r) => ({ id: r.id!, outcome: Number(r.outcome!) as 0 | 1, probabilities: Object.fromEntries(bundle.models.map((m) => [m.name, Number(r[`p(${m.name})`]!)])) }));
  const result = externalValidation(bundle, patients, { harmonisation: harmonise ? 'ComBat (test)' : 'none' });
  return { cohortTitle: `demo ${cohort}`, finishedAt: '2026-01-03T00:00:00.000Z', seconds: 7, harmonise, result };
}

describe('external validations in the study bundle', () => {
  const view = withExternalRun(withExternalRun(base, run('validation', false)), run('training', true));

  it('round trip: version 2, the same view and the same bytes', () => {
    const zip = writeStudyBundle(view, SOFTWARE);
    const entries = unzipSync(zip);
    expect(JSON.parse(strFromU8(entries[MANIFEST_ENTRY]!)).version).toBe(2);
    const back = readStudyBundle('x.zip', zip).view;
    expect(back).toStrictEqual(view);
    expect(Buffer.from(writeStudyBundle(back, SOFTWARE)).equals(Buffer.from(zip))).toBe(true);
    expect(back.external!.map((r) => r.result.models.map((m) => m.auc))).toEqual(view.external!.map((r) => r.result.models.map((m) => m.auc)));
  });

  it("each run's files are those of habitat validate; report.html has one section per run", () => {
    const [first, second] = view.external!;
    for (const [name, text] of Object.entries(externalFiles(first!.result, 'demo validation'))) expect(view.files[`external/1-demo-validation/${name}`], name).toBe(text);
    expect(view.files['external/2-demo-training-combat/table3-external.csv']).toBe(externalFiles(second!.result, 'x')['table3-external.csv']);
    const html = view.files['report.html']!;
    expect(html.match(/<h2>External validation — /g)).toHaveLength(2);
    expect(html).toContain('External validation — demo training (harmonised, ComBat)');
    expect(html.indexOf('External validation — demo validation')).toBeGreaterThan(html.indexOf('<h2>Table 3 — models</h2>'));
    expect(html.trimEnd().endsWith('</body></html>')).toBe(true);
    // the study's own report is unchanged around the sections
    expect(withoutExternalRun(withoutExternalRun(view, 1), 0).files).toStrictEqual(base.files);
    expect(withoutExternalRun(view, 0).files['report.html']!.match(/<h2>External validation — /g)).toHaveLength(1);
  });

  it('without external runs the bundle is version 1, byte for byte the fixture', () => {
    const none = withoutExternalRun(withoutExternalRun(view, 0), 0);
    expect(none.external).toBeUndefined();
    expect(Buffer.from(writeStudyBundle(none, SOFTWARE)).equals(Buffer.from(fixture))).toBe(true);
  });

  it('an incomplete external run is refused in one line naming the entry', () => {
    const entries = unzipSync(writeStudyBundle(view, SOFTWARE));
    const v = decodeViewJson(strFromU8(entries[VIEW_ENTRY]!)) as { external: { result: { models: { roc: unknown }[] } }[] };
    v.external[1]!.result.models[0]!.roc = null;
    entries[VIEW_ENTRY] = strToU8(encodeViewJson(v));
    expect(() => readStudyBundle('x.zip', zipSync(entries))).toThrow(/^x\.zip: entry bundle\/view\.json is corrupt \(external\[1\] holds an incomplete model\)$/);
  });
});
