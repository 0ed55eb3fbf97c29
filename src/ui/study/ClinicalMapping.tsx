/**
 * The clinical CSV of a study and its column mapping: the id column, the
 * binary outcome (its values shown, the positive one chosen when it is not
 * 0/1) and the type of every other column. The mapping lives in the study
 * config (`id`, `outcome`, `positive`, `clinical.variables`,
 * `clinical.categorical`), so the study and the exported study.yaml read the
 * table as the CLI would. Problems are one line each.
 */
import { useEffect, useMemo } from 'react';
import { applyMapping, checkMapping, guessMapping, mappingForConfig, readCsvColumns, type ClinicalMapping as Mapping, type ColumnType, type CsvColumns } from '../../core/index.js';
import { useApp } from '../store.js';
import { saveSettings } from './study-actions.js';
import { useStudy } from './study-store.js';

const TYPES: ColumnType[] = ['continuous', 'categorical', 'ignore'];

function shown(values: string[], max = 6): string {
  return values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')}, … (${values.length} values)`;
}

/** Read a chosen CSV and write its guessed mapping into the settings. */
export function chooseClinicalCsv(file: string, text: string): void {
  const study = useStudy.getState();
  const app = useApp.getState();
  let csv: CsvColumns;
  try {
    csv = readCsvColumns(file, text);
  } catch (e) {
    app.addMessage('error', e instanceof Error ? e.message : String(e));
    return;
  }
  const m = guessMapping(csv, { id: study.config.id, outcome: study.config.outcome, cohortIds: app.patients.map((p) => p.id) });
  study.setClinical({ file, text });
  study.setConfig(applyMapping(study.config, m));
  void saveSettings();
}

function ColumnSelect({ label, columns, value, onChange }: { label: string; columns: string[]; value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ClinicalMapping() {
  const clinical = useStudy((s) => s.clinical);
  const config = useStudy((s) => s.config);
  const setConfig = useStudy((s) => s.setConfig);
  const patients = useApp((s) => s.patients);
  const cohortIds = useMemo(() => patients.map((p) => p.id), [patients]);
  const csv = useMemo(() => {
    if (!clinical) return null;
    try {
      return readCsvColumns(clinical.file, clinical.text);
    } catch {
      return null;
    }
  }, [clinical]);
  const mapping = useMemo(() => (csv ? mappingForConfig(csv, config, cohortIds) : null), [csv, config, cohortIds]);
  const check = useMemo(() => (csv && mapping ? checkMapping(csv, mapping, cohortIds) : null), [csv, mapping, cohortIds]);
  // Settings whose id or outcome column is not in the table (e.g. after "Paper settings") take the guess shown here.
  useEffect(() => {
    if (!csv || !mapping || (mapping.id === config.id && mapping.outcome === config.outcome)) return;
    setConfig(applyMapping(config, mapping));
    void saveSettings();
  }, [csv, mapping, config, setConfig]);
  if (!csv || !mapping || !check) return null;

  const update = (f: (m: Mapping) => Mapping) => {
    setConfig(applyMapping(useStudy.getState().config, f(structuredClone(mapping))));
    void saveSettings();
  };
  /** Choosing a column as id or outcome takes it out of the variables; the column it replaces becomes a variable with a guessed type. */
  const choose = (role: 'id' | 'outcome', name: string) =>
    update((m) => {
      const old = m[role];
      const other = role === 'id' ? m.outcome : m.id;
      const fresh = guessMapping(csv, { id: role === 'id' ? name : other, outcome: role === 'outcome' ? name : other });
      m[role] = name;
      delete m.types[name];
      if (old !== name && old !== other && csv.columns.some((c) => c.name === old)) m.types[old] = fresh.types[old] ?? 'categorical';
      if (role === 'outcome') {
        if (fresh.outcome === name && fresh.positive !== undefined) m.positive = fresh.positive;
        else delete m.positive;
      }
      return m;
    });
  const outcomeIs01 = check.outcomeValues.every((v) => v === '0' || v === '1');
  const variables = csv.columns.filter((c) => c.name !== mapping.id && c.name !== mapping.outcome);

  return (
    <div className="clinical-mapping" role="group" aria-label="Clinical columns">
      <p className="hint">
        {clinical!.file}: {csv.rows} rows, {csv.columns.length} columns
        {check.cohort > 0 && (
          <>
            {' '}
            · <span data-testid="clinical-matched">{check.matched} of {check.cohort}</span> cohort patients matched
          </>
        )}
      </p>
      <ColumnSelect label="Id column" columns={csv.columns.map((c) => c.name)} value={mapping.id} onChange={(v) => choose('id', v)} />
      <ColumnSelect label="Outcome column" columns={csv.columns.map((c) => c.name)} value={mapping.outcome} onChange={(v) => choose('outcome', v)} />
      <p className="hint" data-testid="outcome-values">
        Outcome values: {shown(check.outcomeValues)} {check.binary ? '✓ binary' : '✗ not binary'}
      </p>
      {check.binary && !outcomeIs01 && (
        <label className="field">
          <span>Positive value</span>
          <select aria-label="Positive outcome value" value={mapping.positive ?? ''} onChange={(e) => update((m) => ({ ...m, positive: e.target.value }))}>
            {check.outcomeValues.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      )}
      <table className="column-types" aria-label="Clinical variable types">
        <thead>
          <tr>
            <th>column</th>
            <th>type</th>
            <th>values</th>
          </tr>
        </thead>
        <tbody>
          {variables.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>
                <select aria-label={`Type of ${c.name}`} value={mapping.types[c.name] ?? 'ignore'} onChange={(e) => update((m) => ({ ...m, types: { ...m.types, [c.name]: e.target.value as ColumnType } }))}>
                  {TYPES.map((t) => (
                    // A column with text cannot be continuous (the study would read it as categorical anyway).
                    <option key={t} value={t} disabled={t === 'continuous' && !c.numeric}>
                      {t}
                    </option>
                  ))}
                </select>
              </td>
              <td className="values">{c.numeric && c.distinct.length > 6 ? `${c.distinct[0]} … ${c.distinct[c.distinct.length - 1]}` : shown(c.distinct, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {check.errors.map((e) => (
        <p key={e} className="settings-error" role="alert">
          {e}
        </p>
      ))}
      {check.warnings.map((w) => (
        <p key={w} className="hint warning">
          {w}
        </p>
      ))}
    </div>
  );
}
