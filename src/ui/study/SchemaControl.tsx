/**
 * The settings panel's control of one study-config key, derived from its kind
 * (config-schema.ts) and its `ui` entry; clinical-column keys offer the columns
 * of the clinical table.
 */
import type { ReactNode } from 'react';
import { getPath, habitatK, isBatchColumn, keysOf, STUDY_CONFIG_SCHEMA, type Key, type StudyConfig } from '../../core/index.js';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A number input that hands NaN on to validation instead of silently keeping the old value. */
export function Num({ label, value, step, onChange, aria }: { label: string; value: number; step?: number; onChange: (v: number) => void; aria?: string }) {
  return (
    <Field label={label}>
      <input type="number" aria-label={aria ?? label} value={Number.isFinite(value) ? value : ''} step={step ?? 'any'} onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))} />
    </Field>
  );
}

/** One <option> per value. */
function Options({ options }: { options: readonly string[] }) {
  return (
    <>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </>
  );
}

export function Select<T extends string>({ label, value, options, onChange, aria }: { label: string; value: T; options: readonly T[]; onChange: (v: T) => void; aria?: string }) {
  return (
    <Field label={label}>
      <select aria-label={aria ?? label} value={value} onChange={(e) => onChange(e.target.value as T)}>
        <Options options={options} />
      </select>
    </Field>
  );
}

/** The keys the panel shows, in table order. */
export const CONTROLS = keysOf(STUDY_CONFIG_SCHEMA).filter((k) => k.key.ui);
const K_OPTIONS = (() => {
  const d = STUDY_CONFIG_SCHEMA.habitats.k.kind.desc;
  if (d.t !== 'habitat-k') throw new Error('habitats.k is not a habitat-k key');
  return ['auto', ...Array.from({ length: d.max - d.min + 1 }, (_, n) => String(d.min + n))];
})();

/** The control of one key, from its kind and its `ui` entry. */
export function SchemaControl({
  path,
  spec,
  config,
  columns,
  edit,
  setK,
}: {
  path: string;
  spec: Key<unknown>;
  config: StudyConfig;
  /** The clinical table's columns; null = no table known. */
  columns: readonly string[] | null;
  edit: (v: unknown) => void;
  setK: (seq: string, v: string) => void;
}) {
  const ui = spec.ui!;
  const value = getPath(config, path);
  switch (spec.kind.control) {
    case 'checkbox':
      return (
        <Field label={ui.label}>
          <input type="checkbox" aria-label={ui.aria ?? ui.label} checked={value === true} onChange={(e) => edit(e.target.checked)} />
        </Field>
      );
    case 'select': {
      const d = spec.kind.desc;
      const options = d.t === 'enum' ? d.options : [];
      return <Select label={ui.label} aria={ui.aria} value={String(value)} options={options} onChange={edit} />;
    }
    case 'number': {
      // A nullable number: an empty box is null.
      const nullable = spec.kind.desc.t === 'nullable';
      return (
        <Num
          label={ui.label}
          aria={ui.aria}
          value={typeof value === 'number' ? value : NaN}
          step={ui.step}
          onChange={(v) => edit(nullable && Number.isNaN(v) ? null : v)}
        />
      );
    }
    case 'numbers-text':
      return (
        <Field label={ui.label}>
          <input
            aria-label={ui.aria ?? ui.label}
            defaultValue={Array.isArray(value) ? value.join(', ') : 'none'}
            onBlur={(e) => {
              const t = e.target.value.trim();
              edit(t === 'none' || t === '' ? null : t.split(/[ ,]+/).map(Number));
            }}
          />
        </Field>
      );
    case 'habitat-k':
      return (
        <>
          {config.sequences.map((seq) => (
            <Select key={seq} label={`${ui.label} ${seq}`} value={String(habitatK(config, seq))} options={K_OPTIONS} onChange={(v) => setK(seq, v)} />
          ))}
        </>
      );
    case 'clinical-column': {
      const options = columnChoices(columns, config, path);
      return (
        <Field label={ui.label}>
          <select aria-label={ui.aria ?? ui.label} value={typeof value === 'string' ? value : ''} onChange={(e) => edit(e.target.value === '' ? undefined : e.target.value)}>
            <option value="">{columns ? '(none)' : '(choose the clinical CSV first)'}</option>
            <Options options={options} />
          </select>
        </Field>
      );
    }
    case 'clinical-columns': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <Field label={ui.label}>
          <select
            multiple
            aria-label={ui.aria ?? ui.label}
            value={chosen}
            onChange={(e) => edit(Array.from(e.target.selectedOptions, (o) => o.value))}
          >
            <Options options={columnChoices(columns, config, path)} />
          </select>
        </Field>
      );
    }
    default:
      throw new Error(`${path}: no settings control for its kind`);
  }
}

/**
 * The clinical columns a column key may take: the table's columns but the id and
 * the outcome (and, for the covariates, the batch), the batch (scanner_…) columns
 * first; a value already set stays offered even when the table lacks it.
 */
export function columnChoices(columns: readonly string[] | null, config: StudyConfig, path: string): string[] {
  const set = getPath(config, path);
  const current = typeof set === 'string' ? [set] : Array.isArray(set) ? (set as string[]) : [];
  const batch = path === 'harmonisation.covariates' ? config.harmonisation.batch : undefined;
  const usable = (columns ?? []).filter((c) => c !== config.id && c !== config.outcome && c !== batch);
  const scannerFirst = [...usable.filter((c) => isBatchColumn(c)), ...usable.filter((c) => !isBatchColumn(c))];
  return [...new Set([...scannerFirst, ...current])];
}
