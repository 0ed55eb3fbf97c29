/**
 * The demo study end to end in the browser: the production build (dist/,
 * rebuilt when sources changed) served by `vite preview` on 127.0.0.1, driven
 * by Playwright in Debian's Chromium (/usr/bin/chromium, the flags of
 * playwright.config.ts). Each run is a fresh browser context (empty IndexedDB,
 * so nothing comes from the study cache): Load demo cohort → Study → Run study
 * with the app's starting settings (quick demo: Original features, first 30 patients) →
 * status "done". The worker count is chosen with `?workers=N` in the address
 * (src/ui/study/worker-count.ts) and checked by counting the study workers the
 * page starts.
 *
 * Runs: HABITAT_BENCH_JOBS (default 1,2) × HABITAT_BENCH_BROWSER_PATIENTS
 * (default 30, the quick demo; 0 = all 60), in that order, repeated
 * HABITAT_BENCH_REPEAT times (default 1) alternating the worker counts.
 *
 * The paper-sized study (issue 20): HABITAT_BENCH_BROWSER_DEMO=179 loads a
 * demo cohort of that many patients (`?demo-patients=179`) and
 * HABITAT_BENCH_BROWSER_SETTINGS=paper clicks "Paper settings" (Original +
 * LoG σ 1/3/5 + wavelet, N4, registration, 1 mm, all patients) before the run;
 * give HABITAT_BENCH_BROWSER_PATIENTS=0 and a long HABITAT_BENCH_BROWSER_TIMEOUT_S.
 * Memory, sampled every second during the run: the tab's renderer process's
 * peak RSS (the page and its Web Workers, WebAssembly memory included, from
 * /proc) and the page's peak JS heap (CDP Performance.getMetrics JSHeapUsedSize).
 * CPU per stage (stageCpuS): CPU time of the tab's renderer (page and workers)
 * and of all the browser's processes from Run study (or the previous stage's
 * end) to each stage's bar being full, sampled every second; tabCpuPerPatientS
 * divides the per-patient stages' by the patients. Unlike wall times these
 * do not grow with the machine's load, so (CPU per patient × 179) / 2 cores is
 * a projection of the paper-sized run on two free cores.
 * speedUp = the 1-worker run's wall time (same patients, same repeat) / this one's;
 * cpuMs / coresUsed = CPU time of the browser's processes during the run and
 * its ratio to the wall time (how many cores the run actually got).
 * The page's main-thread long tasks (PerformanceObserver 'longtask') are
 * reported too: the longest from Run study to "done", the longest while the
 * results are drawn, and the one that loads plotly when an interactive figure
 * is asked for. They depend on the machine's load, so they are measured here
 * and recorded in BENCHMARKS.md with the load, never asserted by a test.
 *
 * Other sessions build dist/ too: the bench re-runs itself under
 * `flock /tmp/e2e.lock` (as the e2e tests do), serves a copy of dist/ made
 * after the build (deleted at the end), on E2E_PORT (default 4178). Without
 * Chromium it prints one line saying so and exits 0.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { chromium, type Browser } from '@playwright/test';
import { browserBench, CHROMIUM } from './_browser.js';

const PORT = Number(process.env.E2E_PORT ?? 4178);
const RUN_TIMEOUT_MS = Number(process.env.HABITAT_BENCH_BROWSER_TIMEOUT_S ?? 900) * 1000;
const { base, launchArgs, serve, cleanUp } = await browserBench('browser-study', import.meta.url, PORT);

const jobsList = (process.env.HABITAT_BENCH_JOBS ?? '1,2').split(',').map(Number);
const patientsList = (process.env.HABITAT_BENCH_BROWSER_PATIENTS ?? '30').split(',').map(Number);
const repeat = Number(process.env.HABITAT_BENCH_REPEAT ?? 1);
const demoPatients = process.env.HABITAT_BENCH_BROWSER_DEMO ? Number(process.env.HABITAT_BENCH_BROWSER_DEMO) : null;
const settings = process.env.HABITAT_BENCH_BROWSER_SETTINGS === 'paper' ? 'paper' : 'quick';


/** /proc/<pid>/stat fields after the command name, of every process below this one; null where there is no /proc. */
function descendants(): Map<number, string[]> | null {
  if (!existsSync('/proc/self/stat')) return null;
  const parent = new Map<number, number>();
  const stat = new Map<number, string[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      stat.set(Number(d), f);
    } catch {
      /* the process ended */
    }
  }
  const below = new Map<number, string[]>();
  for (const [pid, f] of stat) {
    let p = parent.get(pid);
    while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
    if (p === process.pid) below.set(pid, f);
  }
  return below;
}

/**
 * CPU time (user + system, ms) of every process below this one (Chromium's
 * browser, renderer, GPU processes and the preview server), from /proc;
 * null where there is no /proc. Assumes 100 clock ticks per second (Linux).
 */
function childrenCpuMs(): number | null {
  const below = descendants();
  if (!below) return null;
  let total = 0;
  for (const f of below.values()) total += Number(f[11]) + Number(f[12]);
  return total * 10;
}

/**
 * This browser's renderer processes (the tab: page and Web Workers), from
 * /proc: resident memory (MB) and CPU time (user + system, ms; 100 ticks per
 * second); null where there is none.
 */
function renderers(): { rssMB: number; cpuMs: number } | null {
  const below = descendants();
  if (!below) return null;
  let rssMB = 0;
  let ticks = 0;
  for (const [pid, f] of below) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      rssMB += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* the process ended */
    }
  }
  return { rssMB, cpuMs: ticks * 10 };
}

/** CPU (ms) at `t` s from the samples [t, cpu] (sorted by t), linearly between the two around it. */
function cpuAt(samples: [number, number][], t: number): number | null {
  const after = samples.findIndex(([s]) => s >= t);
  if (after < 0) return samples.at(-1)?.[1] ?? null;
  if (after === 0) return samples[0]![1];
  const [t0, c0] = samples[after - 1]!;
  const [t1, c1] = samples[after]!;
  return c0 + ((c1 - c0) * (t - t0)) / Math.max(t1 - t0, 1e-9);
}

interface RunResult {
  ms: number;
  appSeconds: number | null;
  workersSeen: number;
  patients: number;
  /** Seconds from Run study to each stage's bar being full. */
  stagesDoneS: Record<string, number>;
  /**
   * CPU seconds of each stage (from the previous stage's end, or Run study, to
   * its bar being full; analysis: to "done"): the tab's renderer (page and
   * workers) and all the browser's processes, from samples every second.
   */
  stageCpuS: Record<string, { tab: number | null; browser: number | null }>;
  /** CPU time of the browser's processes during the run (all threads), or null. */
  cpuMs: number | null;
  /** The page's main thread (PerformanceObserver 'longtask'): the longest task from Run study to "done", their count, the longest while the results are drawn, and the one loading plotly on request. */
  longestDuringRunMs: number;
  longTasksDuringRun: number;
  longestDrawingResultsMs: number;
  longestLoadingPlotlyMs: number;
  /** Peaks sampled every second from Run study to "done". */
  peakRendererRssMB: number | null;
  peakPageJsHeapMB: number;
}

/** One study run in a fresh context; wall time from the click on Run study to the status "done". */
async function runOnce(browser: Browser, workers: number, patients: number): Promise<RunResult> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, serviceWorkers: 'block' });
  const errors: string[] = [];
  try {
    await context.route(
      (url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol),
      (route) => {
        errors.push(`request left the machine: ${route.request().url()}`);
        return route.abort('blockedbyclient');
      },
    );
    const page = await context.newPage();
    let studyWorkers = 0;
    page.on('worker', (w) => {
      if (/\/study\.worker[^/]*\.js/.test(w.url())) studyWorkers++;
    });
    page.on('pageerror', (e) => {
      errors.push(`page error: ${e.message}`);
      console.error(`browser-study: page error: ${e.stack ?? e.message}`);
    });
    // When each stage's progress bar fills, in seconds from the click on Run study: the parallel
    // stages (preprocessing, features) against the serial ones (habitats, selection & models).
    // (a string, not a function: tsx's keepNames would add __name calls that do not exist in the page)
    await page.addInitScript({
      content: `
        window.__stageAt = {};
        window.__runAt = 0;
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
        }).observe({ type: 'longtask', buffered: true });
        document.addEventListener('click', (e) => {
          if (e.target.closest('button')?.textContent === 'Run study') window.__runAt = performance.now();
        }, true);
        document.addEventListener('DOMContentLoaded', () => new MutationObserver(() => {
          for (const p of document.querySelectorAll('progress[aria-label$=" progress"]')) {
            const stage = p.getAttribute('aria-label').replace(/ progress$/, '');
            if (window.__runAt && !(stage in window.__stageAt) && p.value > 0 && p.value >= p.max) window.__stageAt[stage] = (performance.now() - window.__runAt) / 1000;
          }
        }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true }));
      `,
    });
    await page.goto(`${base}/?workers=${workers}${demoPatients ? `&demo-patients=${demoPatients}` : ''}`);
    await page.getByRole('button', { name: 'Load demo cohort' }).click();
    await page.getByRole('tab', { name: 'Study' }).click();
    if (settings === 'paper') await page.getByRole('button', { name: 'Paper settings' }).click();
    const limit = page.getByLabel('Patients (0 = all)');
    if (patients !== Number(await limit.inputValue())) await limit.fill(String(patients));
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    let peakRendererRssMB: number | null = null;
    let peakPageJsHeapMB = 0;
    const tabCpu: [number, number][] = [];
    const allCpu: [number, number][] = [];
    const sample = async () => {
      const at = (performance.now() - t0) / 1000;
      const r = renderers();
      if (r !== null) {
        peakRendererRssMB = Math.max(peakRendererRssMB ?? 0, r.rssMB);
        tabCpu.push([at, r.cpuMs]);
      }
      const all = childrenCpuMs();
      if (all !== null) allCpu.push([at, all]);
      const { metrics } = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] as { name: string; value: number }[] }));
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
      if (heap !== undefined) peakPageJsHeapMB = Math.max(peakPageJsHeapMB, heap / 2 ** 20);
    };
    await sample();
    const sampler = setInterval(() => void sample(), 1000);
    await page.getByRole('button', { name: 'Run study' }).click();
    const status = page.getByTestId('run-status');
    try {
      await status.filter({ hasText: /^(done|failed|cancelled)/ }).waitFor({ timeout: RUN_TIMEOUT_MS });
    } finally {
      clearInterval(sampler);
    }
    await sample();
    const ms = performance.now() - t0;
    const cpu1 = childrenCpuMs();
    const doneAt = await page.evaluate(() => performance.now());
    // The results and their (static SVG) figures are drawn after "done".
    await page.getByRole('region', { name: 'Study results' }).waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[role="figure"]')].every((f) => f.getAttribute('data-ready') === 'true'), undefined, { timeout: 60_000 });
    const longTasks = await page.evaluate(({ doneAt }) => {
      const w = window as unknown as { __longTasks: [number, number][]; __runAt: number };
      const during = w.__longTasks.filter(([t]) => t >= w.__runAt && t < doneAt).map(([, d]) => d);
      const after = w.__longTasks.filter(([t]) => t >= doneAt).map(([, d]) => d);
      return { longestDuringRunMs: Math.round(Math.max(0, ...during)), longTasksDuringRun: during.length, longestDrawingResultsMs: Math.round(Math.max(0, ...after)) };
    }, { doneAt });
    // plotly on request: the task that loads it and draws the first interactive figure.
    const before = await page.evaluate(() => (window as unknown as { __longTasks: unknown[] }).__longTasks.length);
    await page.getByRole('button', { name: 'ROC curve — validation: interactive' }).click();
    await page.locator('[role="figure"][data-interactive="true"]').first().waitFor({ timeout: 60_000 });
    const plotlyMs = await page.evaluate((n) => Math.round(Math.max(0, ...(window as unknown as { __longTasks: [number, number][] }).__longTasks.slice(n).map(([, d]) => d))), before);
    const final = (await status.textContent())?.trim();
    if (final !== 'done') throw new Error(`the study ended "${final}" with ${workers} worker(s): ${(await page.getByRole('alert').allTextContents()).join(' | ')}`);
    const msg = await page.getByText(/^Study finished in \d+ s: \d+ patients/).first().textContent({ timeout: 10_000 }).catch(() => null);
    const m = msg ? /in (\d+) s: (\d+) patients/.exec(msg) : null;
    if (errors.length) throw new Error(errors.slice(0, 3).join(' | '));
    const stages = await page.evaluate(() => (window as unknown as { __stageAt: Record<string, number> }).__stageAt);
    const stagesDoneS = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, +v.toFixed(1)]));
    // stage ends in the order they ran (the bars' labels: Preprocessing, Habitats, Features,
    // Selection & models), then from the last bar full to "done"
    const ends = Object.entries(stages).sort((a, b) => a[1] - b[1]);
    ends.push(['until done', ms / 1000]);
    const stageCpuS: RunResult['stageCpuS'] = {};
    let from = 0;
    for (const [stage, end] of ends) {
      const of = (xs: [number, number][]) => {
        const a = cpuAt(xs, from);
        const b = cpuAt(xs, end);
        return a === null || b === null ? null : +((b - a) / 1000).toFixed(1);
      };
      stageCpuS[stage] = { tab: of(tabCpu), browser: of(allCpu) };
      from = end;
    }
    return { ms, appSeconds: m ? Number(m[1]) : null, workersSeen: studyWorkers, patients: m ? Number(m[2]) : patients, stagesDoneS, stageCpuS, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, ...longTasks, longestLoadingPlotlyMs: plotlyMs, peakRendererRssMB: peakRendererRssMB === null ? null : Math.round(peakRendererRssMB), peakPageJsHeapMB: Math.round(peakPageJsHeapMB) };
  } finally {
    await context.close();
  }
}

const server = await serve();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs });
let failed = false;
try {
  const first = await browser.newPage();
  const cores = await first.evaluate(() => navigator.hardwareConcurrency);
  await first.close(); // its renderer would count in the tab's memory
  for (const patients of patientsList) {
    for (let r = 0; r < repeat; r++) {
      const order = r % 2 === 0 ? jobsList : [...jobsList].reverse();
      const byJobs = new Map<number, number>();
      const lines: Record<string, unknown>[] = [];
      for (const jobs of order) {
        const load = os.loadavg()[0]!;
        let res: RunResult;
        try {
          res = await runOnce(browser, jobs, patients);
        } catch (e) {
          console.error(`browser-study: ${patients || 'all'} patients, ${jobs} worker(s): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
          failed = true;
          continue;
        }
        byJobs.set(jobs, res.ms);
        lines.push({
          name: `demo study in the browser (${settings} settings), ${res.patients} patients, ${jobs} worker${jobs > 1 ? 's' : ''}`,
          ms: Math.round(res.ms),
          jobs,
          patients: res.patients,
          studyWorkersStarted: res.workersSeen,
          appSeconds: res.appSeconds,
          stagesDoneS: res.stagesDoneS,
          stageCpuS: res.stageCpuS,
          // CPU seconds per patient of the per-patient stages (the tab's renderer)
          tabCpuPerPatientS: Object.fromEntries(
            ['Preprocessing', 'Features'].map((k) => [k, res.stageCpuS[k]?.tab == null ? null : +(res.stageCpuS[k]!.tab! / res.patients).toFixed(2)]),
          ),
          peakRendererRssMB: res.peakRendererRssMB,
          peakPageJsHeapMB: res.peakPageJsHeapMB,
          longestTaskDuringRunMs: res.longestDuringRunMs,
          longTasksDuringRun: res.longTasksDuringRun,
          longestTaskDrawingResultsMs: res.longestDrawingResultsMs,
          longestTaskLoadingPlotlyMs: res.longestLoadingPlotlyMs,
          cpuMs: res.cpuMs,
          // cores the browser had on average: ≈ 1 for both worker counts means the machine, not the app, set the pace
          coresUsed: res.cpuMs === null ? null : +(res.cpuMs / res.ms).toFixed(2),
          hardwareConcurrency: cores,
          runLoad: `${load.toFixed(1)}→${os.loadavg()[0]!.toFixed(1)}`,
          repeat: r + 1,
        });
      }
      const one = byJobs.get(1);
      for (const l of lines) console.log(JSON.stringify({ ...l, ...(one ? { speedUp: +(one / (l.ms as number)).toFixed(2) } : {}) }));
    }
  }
} finally {
  await browser.close();
  server.kill();
  if (server.exitCode === null && server.signalCode === null) await new Promise((r) => server.once('exit', r));
  cleanUp();
}
process.exit(failed ? 1 : 0);
