/**
 * Study settings with the paper's defaults, checked on every change by the CLI's own parsers.
 * The controls are derived from the config's schema table (a key with `ui` gets one).
 */
import { useMemo } from 'react';
import { DEFAULT_STUDY_CONFIG, habitatK, readCsvColumns, SECTIONS, setPath, type Key, type Section, type StudyConfig } from '../../core/index.js';
import { demoClinicalCsv } from '../../demo/demo.js';
import { demoCohort } from '../actions.js';
import { useApp } from '../store.js';
import { CONTROLS, Num, SchemaControl } from './SchemaControl.js';
import { checkSettings, saveSettings } from './study-actions.js';
import { ClinicalMapping, chooseClinicalCsv } from './ClinicalMapping.js';
import { PAPER_PARAMS_YAML, QUICK_PARAMS_YAML, QUICK_PATIENT_LIMIT, quickConfig, useStudy } from './study-store.js';

export function SettingsPanel({ disabled }: { disabled: boolean }) {
  const { config, paramsYaml, paramsFile, patientLimit, setConfig, setParams, setPatientLimit } = useStudy();
  const check = useMemo(() => checkSettings(config, paramsYaml, paramsFile), [config, paramsYaml, paramsFile]);
  const columns = useClinicalColumns();
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
    <SchemaControl key={path} path={path} spec={key} config={config} columns={columns} edit={(v) => edit((c) => setPath(c, path, v))} setK={setK} />
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

/** The columns of the clinical table the study will read: the CSV chosen in Settings, else the demo's (demo cohort loaded); null = none yet. */
function useClinicalColumns(): string[] | null {
  const clinical = useStudy((s) => s.clinical);
  const demo = useApp((s) => s.patients[0]?.series[0]?.source.kind === 'demo');
  return useMemo(() => {
    const table = clinical ?? (demo ? { file: 'demo clinical.csv', text: demoClinicalCsv(demoCohort()) } : null);
    if (!table) return null;
    try {
      return readCsvColumns(table.file, table.text).columns.map((c) => c.name);
    } catch {
      return null;
    }
  }, [clinical, demo]);
}
