/** The review of a dropped DICOM export: series per patient and the user's choice for each. */
import { create } from 'zustand';
import type { ExportReview } from '../../../workers/image-reader-api.js';

interface ImportState {
  review: ExportReview | null;
  /** Patient → series key → sequence ('' = not used). */
  choices: Record<string, Record<string, string>>;
  voi: string;
  voi2: string;
  busy: boolean;
  open(review: ExportReview): void;
  choose(patientId: string, seriesKey: string, sequence: string): void;
  setVoi(which: 'voi' | 'voi2', name: string): void;
  setBusy(busy: boolean): void;
  close(): void;
}

/** The ROI name most patients have among those that look like a GTV (shortest first), or ''. */
export function defaultVoi(rois: Record<string, string[]>): string {
  const count = new Map<string, number>();
  for (const names of Object.values(rois)) for (const n of names) if (/gtv/i.test(n)) count.set(n, (count.get(n) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

export const useImport = create<ImportState>((set) => ({
  review: null,
  choices: {},
  voi: '',
  voi2: '',
  busy: false,
  open: (review) =>
    set({
      review,
      // the rules' choice; the candidates of an ambiguous sequence all start on it, so the table shows the ambiguity
      choices: Object.fromEntries(
        review.mappings.map((m) => {
          const ambiguous = (seq: string) => m.problems.some((p) => p.startsWith(`${seq} ambiguous`));
          const auto = (c: (typeof m.series)[number]) => c.sequence ?? (c.looksLike && ambiguous(c.looksLike) && !/repeat of/.test(c.why ?? '') ? c.looksLike : '');
          return [m.patientId, Object.fromEntries(m.series.map((c) => [c.key, auto(c)]))];
        }),
      ),
      voi: defaultVoi(review.rois),
      voi2: '',
      busy: false,
    }),
  choose: (patientId, seriesKey, sequence) => set((s) => ({ choices: { ...s.choices, [patientId]: { ...s.choices[patientId], [seriesKey]: sequence } } })),
  setVoi: (which, name) => set(which === 'voi' ? { voi: name } : { voi2: name }),
  setBusy: (busy) => set({ busy }),
  close: () => set({ review: null, choices: {}, busy: false }),
}));
