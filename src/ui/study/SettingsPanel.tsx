/**
 * Study settings with the paper's defaults, checked on every change by the CLI's own parsers.
 * The controls are derived from the config's schema table (a key with `ui` gets one).
 */
import { useMemo, type ReactNode } from 'react';
import { DEFAULT_STUDY_CONFIG, STUDY_CONFIG_SCHEMA, habitatK, type StudyConfig } from '../../core/study/config.js';
import { SECTIONS, getPath, keysOf, setPath, type Key, type Section } from '../../core/study/config-schema.js';
import { checkSettings, saveSettings } from './study-actions.js';
import { ClinicalMapping, chooseClinicalCsv } from './ClinicalMapping.js';
import { PAPER_PARAMS_YAML, QUICK_PARAMS_YAML, QUICK_PATIENT_LIMIT, quickConfig, useStudy } from './study-store.js';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A number input that hands NaN on to validation instead of silently keeping the old value. */
function Num({ label, value, step, onChange, aria }: { label: string; value: number; step?: number; onChange: (v: number) => void; aria?: string }) {
  return (
    <Field label={label}>
      <input type="number" aria-label={aria ?? label} value={Number.isFinite(value) ? value : ''} step={step ?? 'any'} onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))} />
    </Field>
  );
}

function Select<T extends string>({ label, value, options, onChange, aria }: { label: string; value: T; options: readonly T[]; onChange: (v: T) => void; aria?: string }) {
  return (
    <Field label={label}>
      <select aria-label={aria ?? label} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function SettingsPanel({ disabled }: { disabled: boolean }) {
  const { config, paramsYaml, paramsFile, patientLimit, setConfig, setParams, setPatientLimit } = useStudy();
  const check = useMemo(() => checkSettings(config, paramsYaml, paramsFile), [config, paramsYaml, paramsFile]);
  const edit = (f: (c: StudyConfig) => void) => {
    const c = structuredClone(config);
    f(c);
    setConfig(c);
    void saveSettings();
  };
  const setK = (seq: string, v: string) =>
    edit((c) => {
      const per: Record<string, number | 'auto'> = Object.fromEntries(c.sequences.map((s) => [s, habitatK(c, s)]));
      per[seq] = v === 'auto' ? 'auto' : Number(v);
      c.habitats.k = Object.values(per).every((x) => x === 'auto') ? 'auto' : per;
    });
  const control = ({ path, key }: { path: string; key: Key<unknown> }) => (
    <SchemaControl key={path} path={path} spec={key} config={config} edit={(v) => edit((c) => setPath(c, path, v))} setK={setK} />
  );
  const section = (name: Section) => CONTROLS.filter((k) => k.key.ui!.section === name).map(control);

  return (
    <fieldset className="settings" disabled={disabled} aria-label="Study settings">
      <div className="settings-head">
        <strong>Settings</strong>
        <button
          type="button"
          onClick={() => {
            setConfig(quickConfig());
            setParams(QUICK_PARAMS_YAML, 'params.yaml');
            setPatientLimit(QUICK_PATIENT_LIMIT);
            void saveSettings();
          }}
        >
          Quick demo settings
        </button>
        <button
          type="button"
          onClick={() => {
            setConfig(structuredClone(DEFAULT_STUDY_CONFIG));
            setParams(PAPER_PARAMS_YAML, 'paper settings');
            setPatientLimit(0);
            void saveSettings();
          }}
        >
          Paper settings
        </button>
      </div>
      <p className="hint">
        Starts with the paper's method with Original-image features only (no LoG/wavelet) and the first {QUICK_PATIENT_LIMIT} patients, so the demo study
        finishes in about 3 minutes on two cores; “Paper settings” restores LoG σ 1, 3, 5 mm + wavelet features and all patients.
      </p>
      <div className="settings-grid">
        {SECTIONS.map((name) => (
          <section key={name}>
            <h3>{name}</h3>
            {section(name)}
            {name === 'Models and split' && (
              <Num
                label="Patients (0 = all)"
                value={patientLimit}
                step={1}
                onChange={(v) => {
                  setPatientLimit(Number.isInteger(v) && v >= 0 ? v : 0);
                  void saveSettings();
                }}
              />
            )}
          </section>
        ))}
        <section className="params">
          <h3>
            Extraction (PyRadiomics YAML · {paramsFile})
          </h3>
          <textarea
            aria-label="PyRadiomics parameters"
            spellCheck={false}
            value={paramsYaml}
            onChange={(e) => {
              setParams(e.target.value, paramsFile === 'paper settings' ? 'params.yaml' : paramsFile);
              void saveSettings();
            }}
          />
          <UploadText
            label="Upload YAML…"
            name="PyRadiomics parameter file"
            accept=".yaml,.yml,.txt"
            onText={(text, file) => {
              setParams(text, file);
              void saveSettings();
            }}
          />
          <ClinicalPicker />
        </section>
      </div>
      <ClinicalMapping />
      {(check.configError || check.paramsError) && (
        <p className="settings-error" role="alert">
          {check.configError ?? check.paramsError}
        </p>
      )}
    </fieldset>
  );
}

/** The keys the panel shows, in table order. */
const CONTROLS = keysOf(STUDY_CONFIG_SCHEMA).filter((k) => k.key.ui);
const K_OPTIONS = (() => {
  const d = STUDY_CONFIG_SCHEMA.habitats.k.kind.desc;
  if (d.t !== 'habitat-k') throw new Error('habitats.k is not a habitat-k key');
  return ['auto', ...Array.from({ length: d.max - d.min + 1 }, (_, n) => String(d.min + n))];
})();

/** The control of one key, from its kind and its `ui` entry. */
function SchemaControl({ path, spec, config, edit, setK }: { path: string; spec: Key<unknown>; config: StudyConfig; edit: (v: unknown) => void; setK: (seq: string, v: string) => void }) {
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
    default:
      throw new Error(`${path}: no settings control for its kind`);
  }
}

/** A text file picker (label + hidden input) handing the file's text on. */
function UploadText({ label, name, accept, onText }: { label: string; name: string; accept: string; onText: (text: string, file: string) => void }) {
  return (
    <label className="upload">
      {label}
      <input
        type="file"
        accept={accept}
        aria-label={name}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void f.text().then((text) => onText(text, f.name));
          e.target.value = '';
        }}
      />
    </label>
  );
}

function ClinicalPicker() {
  const clinical = useStudy((s) => s.clinical);
  return (
    <UploadText
      label={clinical ? `Clinical: ${clinical.file} (choose another…)` : 'Clinical CSV (for a dropped cohort)…'}
      name="Clinical CSV"
      accept=".csv,.tsv,.txt"
      onText={(text, file) => chooseClinicalCsv(file, text)}
    />
  );
}
