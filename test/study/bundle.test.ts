/**
 * The study bundle (issue 11): export → import → export gives the same bytes
 * and the same view (NaN, ±∞, −0 and typed arrays included), the report files
 * in it are the view's files unchanged, and every damaged or foreign zip is a
 * one-line error naming the file and the entry. The fixture is a real demo
 * study's bundle (scripts/fixtures/study-bundle.ts), the one e2e/bundle.spec.ts
 * imports in the browser.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { BUNDLE_VERSION, crc32, decodeViewJson, encodeViewJson, MANIFEST_ENTRY, readStudyBundle, VIEW_ENTRY, writeStudyBundle } from '../../src/core/study/bundle.js';
import { SOFTWARE } from '../../src/core/study/report.js';
import type { StudyView } from '../../src/core/study/study-view.js';

const FIXTURE = path.resolve('test/fixtures/study/demo-bundle.zip');
const fixture = new Uint8Array(readFileSync(FIXTURE));
const NAME = 'demo-bundle.zip';

/** The fixture's entries, changed by `edit`, zipped again. */
function rezip(edit: (entries: Record<string, Uint8Array>) => void, level: 0 | 6 = 6): Uint8Array {
  const entries = unzipSync(fixture);
  edit(entries);
  return zipSync(entries, { level });
}

/** Offset and length of an entry's stored (compressed) data, from its local header. */
function entryData(zip: Uint8Array, name: string): { at: number; length: number } {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let p = 0;
  while (dv.getUint32(p, true) === 0x04034b50) {
    const compressed = dv.getUint32(p + 18, true);
    const nameLen = dv.getUint16(p + 26, true);
    const extraLen = dv.getUint16(p + 28, true);
    const at = p + 30 + nameLen + extraLen;
    if (strFromU8(zip.subarray(p + 30, p + 30 + nameLen)) === name) return { at, length: compressed };
    p = at + compressed;
  }
  throw new Error(`no local header for ${name}`);
}

function readError(bytes: Uint8Array, file = NAME): string {
  try {
    readStudyBundle(file, bytes);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the bundle was accepted');
}

describe('study bundle round trip', () => {
  it('export → import → export gives the same zip, byte for byte', () => {
    const imported = readStudyBundle(NAME, fixture);
    const again = writeStudyBundle(imported.view, SOFTWARE);
    expect(again.length).toBe(fixture.length);
    expect(Buffer.from(again).equals(Buffer.from(fixture))).toBe(true);
    // and the second import is the same view
    expect(readStudyBundle(NAME, again).view).toStrictEqual(imported.view);
  });

  it('restores the results and the settings the study ran with', () => {
    const { view, config, paramsYaml } = readStudyBundle(NAME, fixture);
    expect(view.cohortTitle).toBe('Demo cohort (bundle fixture)');
    expect(view.result.analysis.ids).toHaveLength(24);
    expect(view.result.analysis.models.map((m) => m.name)).toContain('Combined');
    expect(config.preprocessing.n4).toBe(false);
    expect(config.selection.folds).toBe(5);
    expect(config.habitats.k).toEqual({ T2WI: 2, 'CE-T1WI': 2, 'FSCE-T1WI': 4 });
    expect(config.extraction.params).toBeNull();
    expect(paramsYaml).toContain('glcm');
    // the report files are the view's files, unchanged, at the top level (the human-readable report)
    const entries = unzipSync(fixture);
    for (const [name, text] of Object.entries(view.files)) expect(strFromU8(entries[name]!), name).toBe(text);
    expect(Object.keys(entries).filter((n) => n.startsWith('bundle/')).sort()).toEqual([MANIFEST_ENTRY, VIEW_ENTRY]);
    // the report's numbers are those of the restored view
    const report = JSON.parse(view.files['report.json']!) as { cohort: { patients: number } };
    expect(report.cohort.patients).toBe(view.result.analysis.ids.length);
  });

  it('keeps NaN, ±Infinity, −0 and typed arrays exactly', () => {
    const base = readStudyBundle(NAME, fixture).view;
    const view = structuredClone(base) as StudyView & { extra?: unknown };
    const extra = { nan: NaN, inf: Infinity, ninf: -Infinity, negZero: -0, list: [1.5, NaN, -0, 1e-300], f64: Float64Array.from([0.1, NaN, -0]), i16: Int16Array.from([-3, 7]) };
    (view.result.notes as unknown as unknown[]).push(extra);
    view.seconds = -0;
    const zip = writeStudyBundle(view, SOFTWARE);
    const back = readStudyBundle(NAME, zip).view;
    expect(back).toStrictEqual(view);
    expect(Object.is(back.seconds, -0)).toBe(true);
    const got = (back.result.notes as unknown as unknown[]).at(-1) as typeof extra;
    expect(got.f64).toBeInstanceOf(Float64Array);
    expect(Object.is(got.list[2], -0)).toBe(true);
    expect(Buffer.from(writeStudyBundle(back, SOFTWARE)).equals(Buffer.from(zip))).toBe(true);
    // plain JSON would have lost them
    expect(JSON.parse(JSON.stringify(extra)).nan).toBeNull();
    expect(decodeViewJson(encodeViewJson(extra))).toStrictEqual(extra);
  });

  it('writes the same bytes in any time zone', () => {
    const view = readStudyBundle(NAME, fixture).view;
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      const a = writeStudyBundle(view, SOFTWARE);
      process.env.TZ = 'Asia/Kolkata';
      const b = writeStudyBundle(view, SOFTWARE);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(Buffer.from(a).equals(Buffer.from(fixture))).toBe(true);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('refuses a "$" key in the view instead of writing an ambiguous bundle', () => {
    const view = structuredClone(readStudyBundle(NAME, fixture).view);
    (view.report as unknown as Record<string, unknown>).$num = 'x';
    expect(() => writeStudyBundle(view, SOFTWARE)).toThrow(/key "\$num" starting with "\$" is reserved/);
  });

  it('computes the zip checksum (CRC-32) of known strings', () => {
    // reference values: zlib.crc32 / Python binascii.crc32
    expect(crc32(strToU8('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
  });
});

describe('hostile bundles: one line naming the file and the entry', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['a text file', () => strToU8('id,outcome\nP1,1\n'), /^demo-bundle\.zip: not a zip file/],
    ['an empty file', () => new Uint8Array(0), /^demo-bundle\.zip: not a zip file/],
    ['a zip cut in half', () => fixture.slice(0, fixture.length >> 1), /^demo-bundle\.zip: not a readable zip file/],
    ['a zip without the manifest', () => zipSync({ 'report.html': strToU8('<html></html>') }), /^demo-bundle\.zip: not a study bundle \(no bundle\/manifest\.json/],
    [
      'a plain report zip (before the bundle)',
      () => rezip((e) => {
        delete e[MANIFEST_ENTRY];
        delete e[VIEW_ENTRY];
      }),
      /^demo-bundle\.zip: not a study bundle/,
    ],
    [
      'a newer format version',
      () => rezip((e) => {
        const m = JSON.parse(strFromU8(e[MANIFEST_ENTRY]!));
        e[MANIFEST_ENTRY] = strToU8(JSON.stringify({ ...m, version: BUNDLE_VERSION + 1 }));
      }),
      new RegExp(`^demo-bundle\\.zip: bundle format version ${BUNDLE_VERSION + 1} is newer than this workbench reads \\(${BUNDLE_VERSION}\\)`),
    ],
    ['a manifest that is not JSON', () => rezip((e) => void (e[MANIFEST_ENTRY] = strToU8('{"format": '))), /^demo-bundle\.zip: entry bundle\/manifest\.json is corrupt \(/],
    ['another program\'s manifest', () => rezip((e) => void (e[MANIFEST_ENTRY] = strToU8('{"format": "x", "version": 1}'))), /^demo-bundle\.zip: entry bundle\/manifest\.json: not a study bundle manifest/],
    [
      'a view without the analysis',
      () => rezip((e) => {
        const v = decodeViewJson(strFromU8(e[VIEW_ENTRY]!)) as { result: Record<string, unknown> };
        delete v.result.analysis;
        e[VIEW_ENTRY] = strToU8(encodeViewJson(v));
      }),
      /^demo-bundle\.zip: entry bundle\/view\.json is corrupt \(result\.analysis is missing\)/,
    ],
    [
      'a view whose ROC curve is not a list of points',
      () => rezip((e) => {
        const v = decodeViewJson(strFromU8(e[VIEW_ENTRY]!)) as { result: { analysis: { models: { validation: { roc: { fpr: unknown } } }[] } } };
        v.result.analysis.models[1]!.validation.roc.fpr = 'none';
        e[VIEW_ENTRY] = strToU8(encodeViewJson(v));
      }),
      /^demo-bundle\.zip: entry bundle\/view\.json is corrupt \(result\.analysis\.models \(.+\)\.validation is incomplete\)$/,
    ],
    ['a view that is not JSON', () => rezip((e) => void (e[VIEW_ENTRY] = strToU8('[1, 2'))), /^demo-bundle\.zip: entry bundle\/view\.json is corrupt \(/],
    ['a report file missing', () => rezip((e) => void delete e['table1.csv']), /^demo-bundle\.zip: entry table1\.csv is missing$/],
    ['bad params.yaml', () => rezip((e) => void (e['params.yaml'] = strToU8('setting: {binWidth: -3}\n'))), /^demo-bundle\.zip: entry params\.yaml: .*binWidth/],
    ['bad study.yaml', () => rezip((e) => void (e['study.yaml'] = strToU8('selection: {folds: 1}\n'))), /^demo-bundle\.zip: entry study\.yaml: .*folds/],
    [
      'a damaged deflate stream',
      () => {
        const z = fixture.slice();
        const d = entryData(z, VIEW_ENTRY);
        for (let i = 0; i < 64; i++) z[d.at + (d.length >> 1) + i]! ^= 0xa5;
        return z;
      },
      /^demo-bundle\.zip: entry bundle\/view\.json is corrupt \(/,
    ],
    [
      'a flipped byte in a stored entry (only the checksum sees it)',
      () => {
        const z = rezip(() => undefined, 0);
        const d = entryData(z, 'table3.csv');
        z[d.at + 10]! ^= 0x01;
        return z;
      },
      /^demo-bundle\.zip: entry table3\.csv is corrupt \(checksum mismatch\)$/,
    ],
  ];
  it.each(cases)('%s', (_what, make, re) => {
    const msg = readError(make());
    expect(msg).toMatch(re);
    expect(msg).not.toContain('\n');
  });

  it('names the file it was given', () => {
    expect(readError(strToU8('hello'), 'my results.zip')).toMatch(/^my results\.zip: not a zip file/);
  });
});
