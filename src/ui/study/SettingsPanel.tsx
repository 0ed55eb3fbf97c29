/** Study settings with the paper's defaults, checked on every change by the CLI's own parsers. */
import { useMemo, type ReactNode } from 'react';
import { DEFAULT_STUDY_CONFIG, type StudyConfig } from '../../core/study/config.js';
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
function Num({ label, value, step, onChange }: { label: string; value: number; step?: number; onChange: (v: number) => void }) {
  return (
    <Field label={label}>
      <input type="number" aria-label={label} value={Number.isFinite(value) ? value : ''} step={step ?? 'any'} onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))} />
    </Field>
  );
}

function Select<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: readonly T[]; onChange: (v: T) => void }) {
  return (
    <Field label={label}>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as T)}>
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
  const pp = config.preprocessing;
  const kOf = (seq: string): string => {
    const k = config.habitats.k;
    const v = k === 'auto' || typeof k === 'number' ? k : (k[seq] ?? 'auto');
    return String(v);
  };
  const setK = (seq: string, v: string) =>
    edit((c) => {
      const k = c.habitats.k;
      const per: Record<string, number | 'auto'> = Object.fromEntries(c.sequences.map((s) => [s, k === 'auto' || typeof k === 'number' ? k : (k[s] ?? 'auto')]));
      per[seq] = v === 'auto' ? 'auto' : Number(v);
      c.habitats.k = Object.values(per).every((x) => x === 'auto') ? 'auto' : per;
    });

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
        <section>
          <h3>Preprocessing</h3>
          <Field label="N4 bias correction">
            <input type="checkbox" aria-label="N4 bias correction" checked={pp.n4} onChange={(e) => edit((c) => void (c.preprocessing.n4 = e.target.checked))} />
          </Field>
          <Num
            label="N4 finest spline spacing (mm)"
            value={pp.n4SplineDistance ?? 25}
            step={5}
            onChange={(v) => edit((c) => void (c.preprocessing.n4SplineDistance = v))}
          />
          <Select label="Normalize" value={pp.normalize} options={['minmax', 'zscore', 'none'] as const} onChange={(v) => edit((c) => void (c.preprocessing.normalize = v))} />
          <Field label="Resample (mm)">
            <input
              aria-label="Resample (mm)"
              defaultValue={pp.resample ? pp.resample.join(', ') : 'none'}
              onBlur={(e) =>
                edit((c) => {
                  const t = e.target.value.trim();
                  c.preprocessing.resample = t === 'none' || t === '' ? null : (t.split(/[ ,]+/).map(Number) as [number, number, number]);
                })
              }
            />
          </Field>
          <Select label="Registration" value={pp.register} options={['rigid', 'affine', 'none'] as const} onChange={(v) => edit((c) => void (c.preprocessing.register = v))} />
        </section>
        <section>
          <h3>Habitats</h3>
          {config.sequences.map((seq) => (
            <Select key={seq} label={`k ${seq}`} value={kOf(seq)} options={['auto', '1', '2', '3', '4', '5', '6', '7', '8'] as const} onChange={(v) => setK(seq, v)} />
          ))}
          <Num label="k min" value={config.habitats.kMin} step={1} onChange={(v) => edit((c) => void (c.habitats.kMin = v))} />
          <Num label="k max" value={config.habitats.kMax} step={1} onChange={(v) => edit((c) => void (c.habitats.kMax = v))} />
          <Select label="k criterion" value={config.habitats.criterion ?? 'icl'} options={['icl', 'bic'] as const} onChange={(v) => edit((c) => void (c.habitats.criterion = v))} />
          <Select label="Curve voxels" value={config.habitats.curveVoxels ?? 'homogeneous'} options={['homogeneous', 'all'] as const} onChange={(v) => edit((c) => void (c.habitats.curveVoxels = v))} />
          <Select label="Descriptor scaling" value={config.habitats.normalize ?? 'none'} options={['none', 'percentile', 'zscore', 'minmax'] as const} onChange={(v) => edit((c) => void (c.habitats.normalize = v))} />
        </section>
        <section>
          <h3>Selection</h3>
          <Num label="ICC ≥" value={config.selection.icc} step={0.05} onChange={(v) => edit((c) => void (c.selection.icc = v))} />
          <Num label="Univariate p <" value={config.selection.univariateP} step={0.01} onChange={(v) => edit((c) => void (c.selection.univariateP = v))} />
          <Num label="Correlation |r| <" value={config.selection.correlation} step={0.05} onChange={(v) => edit((c) => void (c.selection.correlation = v))} />
          <Num label="CV folds" value={config.selection.folds} step={1} onChange={(v) => edit((c) => void (c.selection.folds = v))} />
          <Select label="LASSO λ" value={config.selection.lambda} options={['min', '1se'] as const} onChange={(v) => edit((c) => void (c.selection.lambda = v))} />
        </section>
        <section>
          <h3>Models and split</h3>
          <Select label="SVM kernel" value={config.models.kernel} options={['rbf', 'linear'] as const} onChange={(v) => edit((c) => void (c.models.kernel = v))} />
          <Num label="SVM C" value={config.models.C} onChange={(v) => edit((c) => void (c.models.C = v))} />
          <Select label="Class weights" value={config.models.classWeight ?? 'balanced'} options={['balanced', 'none'] as const} onChange={(v) => edit((c) => void (c.models.classWeight = v))} />
          <Num label="Validation fraction" value={config.split.validation} step={0.05} onChange={(v) => edit((c) => void (c.split.validation = v))} />
          <Num label="Split seed" value={config.split.seed} step={1} onChange={(v) => edit((c) => void (c.split.seed = v))} />
          <Field label="Stratified">
            <input type="checkbox" aria-label="Stratified split" checked={config.split.stratify} onChange={(e) => edit((c) => void (c.split.stratify = e.target.checked))} />
          </Field>
          <Num
            label="Patients (0 = all)"
            value={patientLimit}
            step={1}
            onChange={(v) => {
              setPatientLimit(Number.isInteger(v) && v >= 0 ? v : 0);
              void saveSettings();
            }}
          />
        </section>
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
