#!/usr/bin/env node
/**
 * `noUncheckedIndexedAccess` where it is tractable and meaningful (docs/ARCHITECTURE.md,
 * "Type checking"): the program of tsconfig.json with the option on, diagnostics
 * reported for the files under CHECKED only. tsc has no per-file options and a
 * tsconfig that includes these files would also report every file they import (the
 * numeric kernels), hence the compiler API. Run by `npm run typecheck`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Folders and files (path prefixes relative to the repository) checked with noUncheckedIndexedAccess. */
export const CHECKED = [
  'src/cli/',
  'src/core/browser.ts',
  'src/core/cohort/',
  'src/core/filters/',
  'src/core/habitats/',
  'src/core/harmonise/',
  'src/core/image/',
  'src/core/import/',
  'src/core/index.ts',
  'src/core/learn/',
  'src/core/node.ts',
  'src/core/parallel/',
  'src/core/radiomics/',
  'src/core/report/',
  'src/core/stats/',
  'src/core/study/',
  'src/core/util/',
  'src/demo/',
  'src/main.tsx',
  'src/types/',
  'src/ui/',
  'workers/',
];

const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noUncheckedIndexedAccess: true, noEmit: true });
const checked = program.getSourceFiles().filter((sf) => {
  const rel = path.relative(root, sf.fileName).split(path.sep).join('/');
  return CHECKED.some((dir) => rel.startsWith(dir));
});
const diagnostics = checked.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
if (diagnostics.length > 0) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnostics(diagnostics, host));
  process.stderr.write(`noUncheckedIndexedAccess: ${diagnostics.length} error(s) in ${CHECKED.join(', ')}\n`);
  process.exit(1);
}
console.log(`noUncheckedIndexedAccess: ${checked.length} files in ${CHECKED.join(', ')} checked, no errors`);
