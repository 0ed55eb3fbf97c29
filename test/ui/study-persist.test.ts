/**
 * Storage full (issue 11c): IndexedDB's put throwing a DOMException named
 * QuotaExceededError — what browsers throw when the origin's quota is used up
 * — gives one line saying so, and a finished (or imported) study is not lost:
 * it stays in the page, exportable, and the user is warned. With room, the
 * imported study and its settings are saved as the last study. The IDB is a
 * fake (Map-backed) standing in for `idb`'s openDB; the code under test is the
 * app's own (workers/study-db.ts, src/ui/study/study-persist.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  quota: false,
  other: null as Error | null,
  stores: { cache: new Map<string, unknown>(), state: new Map<string, unknown>() } as Record<string, Map<string, unknown>>,
  puts: 0,
}));

vi.mock('idb', () => ({
  openDB: async () => ({
    async get(store: string, key: string) {
      return fake.stores[store]!.get(key);
    },
    async put(store: string, value: unknown, key: string) {
      fake.puts++;
      if (fake.other) throw fake.other;
      if (fake.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      fake.stores[store]!.set(key, structuredClone(value));
    },
    async clear(store: string) {
      fake.stores[store]!.clear();
    },
  }),
}));

const { indexedDbStudyCache, saveState, SAVED_SETTINGS_KEY, SAVED_STUDY_KEY } = await import('../../workers/study-db.js');
const { importStudy, keepFinishedStudy, studyBundle } = await import('../../src/ui/study/study-persist.js');
const { useStudy } = await import('../../src/ui/study/study-store.js');
const { useApp } = await import('../../src/ui/store.js');
const { readStudyBundle } = await import('../../src/core/study/bundle.js');

const FIXTURE = path.resolve('test/fixtures/study/demo-bundle.zip');
const bytes = new Uint8Array(readFileSync(FIXTURE));
const file = (name: string, b: Uint8Array) => ({ name, arrayBuffer: async () => b.slice().buffer as ArrayBuffer });
const messages = () => useApp.getState().messages.map((m) => `${m.level}: ${m.text}`);

beforeEach(() => {
  fake.quota = false;
  fake.other = null;
  fake.puts = 0;
  fake.stores.cache!.clear();
  fake.stores.state!.clear();
  useStudy.getState().setView(null);
  useApp.setState({ messages: [] });
});

describe('quota exceeded', () => {
  it('saveState turns QuotaExceededError into one line naming what was being saved', async () => {
    fake.quota = true;
    const err = await saveState(SAVED_STUDY_KEY, { big: 1 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toBe("saving last-study: the browser's storage quota is exhausted; free space (e.g. clear the study cache) and run again");
    expect(fake.puts).toBe(1);
  });

  it('other storage errors keep their own first line', async () => {
    fake.other = new Error('UnknownError: disk I/O failed\nat line 2');
    const err = await saveState(SAVED_SETTINGS_KEY, {}).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toBe('saving settings: UnknownError: disk I/O failed');
  });

  it('a finished study that cannot be saved stays shown and exportable, with a warning', async () => {
    const { view } = readStudyBundle('fixture.zip', bytes);
    fake.quota = true;
    const saved = await keepFinishedStudy(view);
    expect(saved).toBe(false);
    expect(fake.puts).toBe(1); // it was tried
    expect(useStudy.getState().view).toBe(view);
    expect(useStudy.getState().run.status).toBe('done');
    const warn = messages().filter((m) => m.startsWith('warning: '));
    expect(warn).toHaveLength(1);
    expect(warn[0]).toContain("saving last-study: the browser's storage quota is exhausted");
    expect(warn[0]).toContain('Export report keeps it');
    expect(warn[0]).not.toContain('\n');
    // Export still works and gives the study's bundle, byte for byte
    expect(Buffer.from(studyBundle(useStudy.getState().view!)).equals(Buffer.from(bytes))).toBe(true);
    expect(fake.stores.state!.has(SAVED_STUDY_KEY)).toBe(false);
  });

  it('the study cache under quota does not stop the study (set resolves, warns on the console)', async () => {
    fake.quota = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(indexedDbStudyCache('demo').set('prepared/P001/x', { a: 1 })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("study cache prepared/P001/x: the browser's storage quota is exhausted"));
    warn.mockRestore();
  });

  it('Import study under quota: results and settings are shown, the user is told they are not saved', async () => {
    fake.quota = true;
    expect(await importStudy(file('study.zip', bytes))).toBe(true);
    const s = useStudy.getState();
    expect(s.view?.result.analysis.ids).toHaveLength(24);
    expect(s.config.selection.folds).toBe(5);
    expect(messages().filter((m) => m.includes('storage quota is exhausted')).length).toBeGreaterThanOrEqual(1);
    expect(messages().some((m) => m.startsWith('info: Imported the study of Demo cohort (bundle fixture)'))).toBe(true);
  });
});

describe('Import study', () => {
  it('restores results and settings and saves both like a finished run', async () => {
    useStudy.getState().setParams('imageType: {Original: {}}\n', 'mine.yaml');
    expect(await importStudy(file('study.zip', bytes))).toBe(true);
    const s = useStudy.getState();
    const expected = readStudyBundle('study.zip', bytes);
    expect(s.view).toStrictEqual(expected.view);
    expect(s.run.status).toBe('done');
    expect(s.paramsYaml).toBe(expected.paramsYaml);
    expect(s.paramsFile).toBe('params.yaml');
    expect(s.config).toStrictEqual(expected.config);
    // saved: the last study (what a reload restores) and the settings
    expect(fake.stores.state!.get(SAVED_STUDY_KEY)).toStrictEqual(expected.view);
    expect((fake.stores.state!.get(SAVED_SETTINGS_KEY) as { paramsYaml: string }).paramsYaml).toBe(expected.paramsYaml);
    // and re-exporting the imported study gives the same zip
    expect(Buffer.from(studyBundle(s.view!)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a bad file is one error line; the current study and settings are kept', async () => {
    await importStudy(file('study.zip', bytes));
    const before = useStudy.getState().view;
    useApp.setState({ messages: [] });
    expect(await importStudy(file('notes.txt', new TextEncoder().encode('hello')))).toBe(false);
    expect(messages()).toEqual(['error: Import study: notes.txt: not a zip file (export a study with Export report and import that zip)']);
    expect(useStudy.getState().view).toBe(before);
  });

  it('is refused while a study runs', async () => {
    useStudy.getState().startRun(['P001']);
    expect(await importStudy(file('study.zip', bytes))).toBe(false);
    expect(messages()).toEqual(['error: Import study: a study is running; cancel it or wait for it to finish']);
    expect(useStudy.getState().view).toBeNull();
    useStudy.getState().finishRun('cancelled');
  });
});
