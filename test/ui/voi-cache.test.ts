/** Study cache keys after VOI corrections: edited patients and cohort-level results are recomputed, unedited patients' preparation is reused. */
import { describe, it, expect } from 'vitest';
import { DEFAULT_STUDY_CONFIG } from '../../src/core/study/config.js';
import { preparedCacheKey, type StudyCache } from '../../src/core/study/pipeline.js';
import { voiCacheKey, voiEditsOf, voiPreparedKeys, withVoiEdits } from '../../workers/voi-cache.js';

const config = DEFAULT_STUDY_CONFIG;
const prepared = (id: string) => preparedCacheKey(id, config);

describe('voiCacheKey', () => {
  it('leaves every key alone when no VOI was edited', () => {
    expect(voiEditsOf([{ id: 'P001' }, { id: 'P002' }])).toEqual({});
    for (const key of [prepared('P001'), 'features/P001/abc', 'habitats/T2WI/abc']) expect(voiCacheKey(key, {})).toBe(key);
  });

  it("gives an edited patient's preparation and features new keys, keeps the others', renews cohort-level keys", () => {
    const edits = voiEditsOf([{ id: 'P001', voi: { fingerprint: 'aa' } }, { id: 'P002' }, { id: 'P010', voi: { fingerprint: 'bb' } }]);
    expect(edits).toEqual({ P001: 'aa', P010: 'bb' });
    expect(voiCacheKey(prepared('P001'), edits)).toBe(`${prepared('P001')}~voi-aa`);
    expect(voiCacheKey('features/P010/f00d', edits)).toBe('features/P010/f00d~voi-bb');
    // P01 is not P010: ids are matched whole.
    expect(voiCacheKey(prepared('P01'), edits)).toBe(prepared('P01'));
    expect(voiCacheKey(prepared('P002'), edits)).toBe(prepared('P002'));
    expect(voiCacheKey('features/P002/f00d', edits)).toBe('features/P002/f00d');
    const habitats = voiCacheKey('habitats/T2WI/abc', edits);
    expect(habitats).toMatch(/^habitats\/T2WI\/abc~voi-[0-9a-f]{16}$/);
    // The same edits in another order: the same key; another edit, or the same edit on another patient: another key.
    expect(voiCacheKey('habitats/T2WI/abc', { P010: 'bb', P001: 'aa' })).toBe(habitats);
    expect(voiCacheKey('habitats/T2WI/abc', { P001: 'aa', P010: 'bc' })).not.toBe(habitats);
    expect(voiCacheKey('habitats/T2WI/abc', { P001: 'bb', P010: 'aa' })).not.toBe(habitats);
  });

  it("a second observer's VOI drawn on a demo patient renews that patient's keys, with or without a corrected first VOI", () => {
    const edits = voiEditsOf([{ id: 'P001', voi2: { fingerprint: 'cc' } }, { id: 'P002', voi: { fingerprint: 'aa' }, voi2: { fingerprint: 'cc' } }, { id: 'P003', voi: { fingerprint: 'aa' } }]);
    expect(edits).toEqual({ P001: 'mask+mask2-cc', P002: 'aa+mask2-cc', P003: 'aa' });
    const keys = ['P001', 'P002', 'P003'].map((id) => voiCacheKey(prepared(id), edits));
    expect(new Set(keys.map((k) => k.slice(k.indexOf('~'))))).toHaveProperty('size', 3);
    expect(voiCacheKey(prepared('P001'), edits)).not.toBe(prepared('P001'));
  });

  it('the wrapped cache stores and finds under the renewed keys; the viewer finds the prepared images there', async () => {
    const store = new Map<string, unknown>();
    const base: StudyCache = { get: async (k) => store.get(k), set: async (k, v) => void store.set(k, v) };
    store.set(prepared('P001'), 'P001 with the old VOI');
    store.set(prepared('P002'), 'P002 prepared');
    const edits = { P001: 'aa' };
    const cache = withVoiEdits(base, edits);
    expect(await cache.get(prepared('P001'))).toBeUndefined();
    expect(await cache.get(prepared('P002'))).toBe('P002 prepared');
    await cache.set(prepared('P001'), 'P001 with the corrected VOI');
    expect(store.get(`${prepared('P001')}~voi-aa`)).toBe('P001 with the corrected VOI');
    expect(store.get(prepared('P001'))).toBe('P001 with the old VOI');
    const keys = voiPreparedKeys({ P001: `demo-2025-60/${prepared('P001')}`, P002: `demo-2025-60/${prepared('P002')}` }, edits);
    expect(keys).toEqual({ P001: `demo-2025-60/${prepared('P001')}~voi-aa`, P002: `demo-2025-60/${prepared('P002')}` });
  });
});
