/**
 * How many study workers the browser run uses: one per core (at most 8), or
 * `?workers=N` in the page's address (benchmarks compare 1 and N workers on
 * the same machine; bench/browser-study.ts).
 */
export function studyWorkerCount(search: string, cores: number): number {
  const asked = new URLSearchParams(search).get('workers');
  if (asked !== null && /^\d+$/.test(asked) && Number(asked) >= 1) return Math.min(Number(asked), 32);
  return Math.max(1, Math.min(cores || 2, 8));
}
