import { describe, it, expect } from 'vitest';
import { DEFAULT_RULES_YAML, defaultImportRules, importRulesToYaml, mappingFromChoices, parseImportRules, type PatientMapping } from '../../src/core/import/rules.js';
import { defaultVoi } from '../../src/ui/import/import-store.js';

describe('import rules file', () => {
  it('round-trips through YAML and refuses bad entries in one line naming the file', () => {
    const r = defaultImportRules();
    expect(parseImportRules(importRulesToYaml(r), 'saved.yaml')).toEqual(r);
    expect(parseImportRules(DEFAULT_RULES_YAML).sequences).toEqual(['T2WI', 'CE-T1WI', 'FSCE-T1WI']);
    expect(() => parseImportRules('sequencez: [A]', 'r.yaml')).toThrow('r.yaml: unknown key "sequencez"');
    expect(() => parseImportRules("exclude: [{ why: x, text: '(' }]", 'r.yaml')).toThrow(/^r\.yaml: exclude\[0\]\.text: not a valid pattern/);
    expect(() => parseImportRules('patients: { A1: { DWI: 3 } }', 'r.yaml')).toThrow('r.yaml: patients.A1: "DWI" is not one of the sequences');
    const weighting = (t2te: string) => `weighting: { T1: { text: t1, te: [0, 30], tr: [0, 1200] }, T2: { text: t2, te: ${t2te}, tr: [1500, 20000] } }`;
    expect(parseImportRules(weighting('[60, 400]')).weighting).toEqual(r.weighting);
    for (const bad of ['[60]', '[60, 400, 500]', "[60, '400']", '60'])
      expect(() => parseImportRules(weighting(bad), 'r.yaml')).toThrow(/^r\.yaml: weighting\.T2\.te must be \[low, high\] in ms$/);
  });
});

describe('import with rules that name no sequence', () => {
  it('is one line before anything is read or written', async () => {
    const { importExport } = await import('../../src/core/import/import-node.js');
    await expect(importExport('/nonexistent-export', '/nonexistent-out', { rules: { ...defaultImportRules(), sequences: [] } })).rejects.toThrow(/^import: the rules name no sequence$/);
  });
});

describe('review-table choices', () => {
  const base: PatientMapping = {
    patientId: 'A1',
    chosen: {},
    series: [
      { key: 'A1/1/3', looksLike: 'T2WI' },
      { key: 'A1/1/4', looksLike: 'T2WI' },
      { key: 'A1/1/7', looksLike: 'CE-T1WI' },
      { key: 'A1/1/1', why: 'localizer' },
    ],
    problems: ['T2WI ambiguous'],
  };
  it('a sequence chosen once is used; missing and twice-chosen ones are problems, never guessed', () => {
    const seqs = ['T2WI', 'CE-T1WI'];
    const ok = mappingFromChoices(base, { 'A1/1/3': 'T2WI', 'A1/1/4': '', 'A1/1/7': 'CE-T1WI', 'A1/1/1': '' }, seqs);
    expect(ok.chosen).toEqual({ T2WI: 'A1/1/3', 'CE-T1WI': 'A1/1/7' });
    expect(ok.problems).toEqual([]);
    expect(ok.series.find((s) => s.key === 'A1/1/1')!.why).toBe('localizer');
    const twice = mappingFromChoices(base, { 'A1/1/3': 'T2WI', 'A1/1/4': 'T2WI', 'A1/1/7': '' }, seqs);
    expect(twice.problems).toEqual(['T2WI ambiguous: 2 series chosen', 'CE-T1WI missing (no series chosen)']);
    expect(twice.chosen).toEqual({});
  });
  it('the default VOI is the GTV-like ROI most patients have, the shorter name on a tie', () => {
    expect(defaultVoi({ a: ['Brainstem', 'GTVnx', 'GTVnx_R2'], b: ['GTVnx', 'GTVnx_R2'], c: ['GTVp_CT', 'GTVnx_R2'] })).toBe('GTVnx_R2');
    expect(defaultVoi({ a: ['GTVnx', 'GTVnx_R2'], b: ['GTVnx_R2', 'GTVnx'] })).toBe('GTVnx');
    expect(defaultVoi({ a: ['Parotid'] })).toBe('');
  });
});

describe('the review table saved as a rules file', () => {
  it('--map with the saved YAML makes the same choices on the same export', async () => {
    const { scanExportFolder } = await import('../../src/core/import/import-node.js');
    const { mapSeries, rulesWithChoices } = await import('../../src/core/import/rules.js');
    const { EXPORT } = await import('./export-fixture.js');
    const scan = await scanExportFolder(EXPORT);
    const rules = defaultImportRules();
    const suggested = mapSeries(scan.series, rules);
    const keyOf = (pid: string, n: number) => scan.series.find((s) => s.patientId === pid && s.seriesNumber === n)!.key;
    // the user's choices: NPC1148's repeat (series 4) as T2WI; NPC1037's CE-T1WI unset; the rest as suggested
    const choices: Record<string, Record<string, string>> = Object.fromEntries(suggested.map((m) => [m.patientId, Object.fromEntries(Object.entries(m.chosen).map(([q, k]) => [k, q]))]));
    choices.NPC1148![keyOf('NPC1148', 4)] = 'T2WI';
    delete choices.NPC1037![keyOf('NPC1037', 7)];
    const chosen = suggested.map((m) => mappingFromChoices(m, choices[m.patientId]!, rules.sequences));
    const { rules: saved, notes } = rulesWithChoices(rules, suggested, chosen, scan.series);
    expect(notes).toEqual([]);
    const yaml = importRulesToYaml(saved);
    expect(saved.patients).toEqual({ NPC1037: { T2WI: 3, 'CE-T1WI': null, 'FSCE-T1WI': 8 }, NPC1148: { T2WI: 4, 'CE-T1WI': 7, 'FSCE-T1WI': null } });
    const again = mapSeries(scan.series, parseImportRules(yaml, 'saved.yaml'));
    for (const m of chosen) {
      const a = again.find((x) => x.patientId === m.patientId)!;
      expect([m.patientId, a.chosen]).toEqual([m.patientId, m.chosen]);
      expect(a.problems.length === 0).toBe(m.problems.length === 0);
    }
    expect(again.find((x) => x.patientId === 'NPC1037')!.problems).toEqual(['CE-T1WI: set to none in the rules file']);
  }, 60_000);
});
