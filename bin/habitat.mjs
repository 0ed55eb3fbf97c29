#!/usr/bin/env node
// The `habitat` command (package.json "bin"): runs the built CLI bundle,
// rebuilding it first when its sources are newer (scripts/cli-bundle.mjs).
// For development without a build: npm run -s habitat:dev -- <command> …
import { cliEntry } from '../scripts/cli-bundle.mjs';

if (process.env.HABITAT_DEBUG) process.setSourceMapsEnabled(true);
const entry = await cliEntry({ log: (m) => process.stderr.isTTY && process.stderr.write(`habitat: ${m}\n`) });
await import(entry);
