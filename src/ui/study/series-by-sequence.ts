/** A patient's series of each sequence (in the sequences' order) and the sequences it has no series for. */
export function seriesBySequence<T extends { name: string }>(series: readonly T[], sequences: readonly string[]): { found: [string, T][]; missing: string[] } {
  const found: [string, T][] = [];
  const missing: string[] = [];
  for (const seq of sequences) {
    const s = series.find((x) => x.name === seq);
    if (s) found.push([seq, s]);
    else missing.push(seq);
  }
  return { found, missing };
}
