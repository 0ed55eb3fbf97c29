/** Shared helper for bench scripts: time a function and report peak RSS as one JSON line. */
let peak = 0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
timer.unref();

export async function measure<T>(name: string, fn: () => T | Promise<T>, extra: Record<string, unknown> = {}): Promise<T> {
  peak = process.memoryUsage().rss;
  const t0 = performance.now();
  const out = await fn();
  const ms = performance.now() - t0;
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(JSON.stringify({ name, ms, peakRssMB: peak / 2 ** 20, ...extra }));
  return out;
}
