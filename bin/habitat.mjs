#!/usr/bin/env node
// The `habitat` command (package.json "bin"): runs the built CLI bundle,
// rebuilding it first when its sources are newer (scripts/cli-bundle.mjs).
// For development without a build: npm run -s habitat:dev -- <command> …
//
// No V8 flags are set here, on purpose. Measured on `extract` of the paper set
// on brain1 (whole-process CPU, median of 7, in turn with the default, load
// 8–20, 2026-12-07): a larger young generation (--min-semi-space-size=16,
// --max-semi-space-size=32 or 64 with the same minimum) cut the scavenges from
// ~200 to 11–55 but not the CPU (2.79–3.11 s against 2.87–3.08 s; 64 MiB
// raised peak RSS from 164 to 281 MiB); --maglev (Node 20's mid tier, off by
// default) and --always-sparkplug changed it by less than the run-to-run
// spread (2.96 and 3.26 s against 3.08 s). Heap sizes only take effect at
// start-up, so they would need a re-spawned node (~0.12 s CPU) or NODE_OPTIONS.
import { cliEntry } from '../scripts/cli-bundle.mjs';

if (process.env.HABITAT_DEBUG) process.setSourceMapsEnabled(true);
const entry = await cliEntry({ log: (m) => process.stderr.isTTY && process.stderr.write(`habitat: ${m}\n`) });
await import(entry);
