#!/usr/bin/env node
// The `habitat` command (package.json "bin"): runs the built CLI bundle,
// rebuilding it first when its sources are newer (scripts/cli-bundle.mjs).
// For development without a build: npm run -s habitat:dev -- <command> …
//
// One V8 flag is set here: --no-concurrent-osr (below). A fresh process spends
// much of a cold `extract` in loops that V8 replaces on the stack (OSR) by
// optimised code; by default it compiles that code on a background thread while
// the loop goes on in the interpreter, and on a busy machine (or one pinned
// core) the loop waits for a slice of CPU in the slow tier. Compiled at once,
// the loop goes on in optimised code. Measured on `extract` of the paper set on
// brain1 (whole-process CPU, `taskset -c 1`, 10 runs in turn, load 17–20,
// 2026-12-08): median 2.13 → 1.92 s, peak RSS unchanged (112/110 MiB). It is set
// at run time (v8.setFlagsFromString) because `node bin/habitat.mjs` must work
// too; --no-concurrent-recompilation as well gained nothing more (1.90 s), and
// --single-threaded only works on node's command line.
//
// Not kept, measured before on the same command (median of 7, load 8–20,
// 2026-12-07): a larger young generation (--min-semi-space-size=16,
// --max-semi-space-size=32 or 64 with the same minimum) cut the scavenges from
// ~200 to 11–55 but not the CPU (2.79–3.11 s against 2.87–3.08 s; 64 MiB
// raised peak RSS from 164 to 281 MiB); --maglev (Node 20's mid tier, off by
// default) and --always-sparkplug changed it by less than the run-to-run
// spread (2.96 and 3.26 s against 3.08 s). Heap sizes only take effect at
// start-up, so they would need a re-spawned node (~0.12 s CPU) or NODE_OPTIONS.
// On 2026-12-08 (taskset -c 1, 4 runs each, load 14–17): --no-lazy-feedback-allocation
// and --interrupt-budget=16384 were slower (2.41, 2.47 s against 2.15 s); beside
// --single-threaded, --maglev, --no-turbo-inlining,
// --max-inlined-bytecode-size-cumulative=300 and --interrupt-budget=33792 were
// within the spread or slower.
import v8 from 'node:v8';
import { cliEntry } from '../scripts/cli-bundle.mjs';

v8.setFlagsFromString('--no-concurrent-osr');

if (process.env.HABITAT_DEBUG) process.setSourceMapsEnabled(true);
const entry = await cliEntry({ log: (m) => process.stderr.isTTY && process.stderr.write(`habitat: ${m}\n`) });
await import(entry);
