/**
 * The settings panel's Harmonisation section (issue #24): the harmonisation keys
 * get their controls from the schema, the batch and covariate controls offer the
 * clinical table's columns (not the id or the outcome; scanner_… first), and
 * ComBat without a batch shows the validator's one-line error.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STUDY_CONFIG, STUDY_CONFIG_SCHEMA, parseStudyConfig, type StudyConfig } from '../../src/core/study/config.js';
import { setPath } from '../../src/core/study/config-schema.js';
import { readCsvColumns } from '../../src/core/study/clinical-mapping.js';
import { demoClinicalCsv } from '../../src/demo/demo.js';
import { CONTROLS, SchemaControl, columnChoices } from '../../src/ui/study/SchemaControl.js';
import { checkSettings } from '../../src/ui/study/study-actions.js';

/** The <option> values of a rendered control, in order. */
function options(path: string, config: StudyConfig, columns: string[] | null): string[] {
  const spec = CONTROLS.find((c) => c.path === path)!.key;
  const html = renderToStaticMarkup(createElement(SchemaControl, { path, spec, config, columns, edit: () => {}, setK: () => {} }));
  return [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]!);
}

const config = (f: (c: StudyConfig) => void = () => {}) => {
  const c = structuredClone(DEFAULT_STUDY_CONFIG);
  f(c);
  return c;
};

describe('settings panel: harmonisation', () => {
  it('shows every harmonisation key but the reference batch in its Harmonisation section, with the control of its kind', () => {
    const shown = Object.fromEntries(CONTROLS.filter((c) => c.key.ui!.section === 'Harmonisation').map((c) => [c.path, c.key.kind.control]));
    expect(shown).toEqual({
      'harmonisation.method': 'select',
      'harmonisation.batch': 'clinical-column',
      'harmonisation.parametric': 'checkbox',
      'harmonisation.meanOnly': 'checkbox',
      'harmonisation.covariates': 'clinical-columns',
    });
    expect(options('harmonisation.method', config(), null)).toEqual(['none', 'combat']);
    expect(STUDY_CONFIG_SCHEMA.harmonisation.referenceBatch.ui).toBeUndefined();
  });

  it('the batch control lists the clinical columns but the id and the outcome, scanner_… columns first', () => {
    const csv = 'patient_id,age,scanner_model,residual,scanner_field\np1,60,Skyra,1,3\np2,55,Achieva,0,1.5\n';
    const columns = readCsvColumns('clinical.csv', csv).columns.map((c) => c.name);
    const c = config((x) => {
      x.id = 'patient_id';
      x.outcome = 'residual';
    });
    expect(options('harmonisation.batch', c, columns)).toEqual(['', 'scanner_model', 'scanner_field', 'age']);
    // the covariates: not the batch either
    c.harmonisation.batch = 'scanner_model';
    expect(options('harmonisation.covariates', c, columns)).toEqual(['scanner_field', 'age']);
    // a value set in study.yaml stays offered when the table lacks it; no table: only that value
    c.harmonisation.batch = 'site';
    expect(columnChoices(columns, c, 'harmonisation.batch')).toEqual(['scanner_model', 'scanner_field', 'age', 'site']);
    expect(columnChoices(null, c, 'harmonisation.batch')).toEqual(['site']);
  });

  it("offers the two-centre demo's centre column", () => {
    const columns = readCsvColumns('demo clinical.csv', demoClinicalCsv({ patients: 6, centres: 2 })).columns.map((c) => c.name);
    const c = config();
    expect(columns).toEqual(expect.arrayContaining([c.id, c.outcome, 'centre']));
    const offered = options('harmonisation.batch', c, columns);
    expect(offered).toContain('centre');
    expect(offered).not.toContain(c.id);
    expect(offered).not.toContain(c.outcome);
    expect(offered.slice(1).sort()).toEqual(columns.filter((x) => x !== c.id && x !== c.outcome).sort());
  });

  it("ComBat without a batch shows the validator's one line; choosing (none) unsets the key", () => {
    const c = config((x) => {
      x.harmonisation.method = 'combat';
    });
    const check = checkSettings(c, '{}', 'params.yaml');
    let validator = '';
    try {
      parseStudyConfig(check.configYaml, 'settings');
    } catch (e) {
      validator = (e as Error).message;
    }
    expect(check.configError).toBe(validator);
    expect(check.configError).toMatch(/^settings: "harmonisation\.batch" must name the clinical column/);
    expect(check.configError).not.toContain('\n');
    setPath(c, 'harmonisation.batch', 'centre');
    expect(checkSettings(c, '{}', 'params.yaml').configError).toBeNull();
    setPath(c, 'harmonisation.batch', undefined);
    expect('batch' in c.harmonisation).toBe(false);
    expect(checkSettings(c, '{}', 'params.yaml').configError).toBe(validator);
  });
});

describe('settings panel: rendered', () => {
  it('has the Harmonisation section with its five controls (no clinical table yet: no column to offer)', async () => {
    const { SettingsPanel } = await import('../../src/ui/study/SettingsPanel.js');
    const html = renderToStaticMarkup(createElement(SettingsPanel, { disabled: false }));
    const section = html.match(/<h3>Harmonisation<\/h3>(.*?)<\/section>/)![1]!;
    for (const label of ['Harmonisation method', 'Harmonisation batch column', 'Parametric priors', 'Mean only', 'Harmonisation covariates']) expect(section).toContain(`aria-label="${label}"`);
    const batch = section.match(/<select aria-label="Harmonisation batch column"[^>]*>(.*?)<\/select>/)![1]!;
    expect([...batch.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]])).toEqual([['', '(choose the clinical CSV first)']]);
  });
});
