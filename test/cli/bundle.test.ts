/**
 * Issue 20: the `habitat` bin runs a built bundle in which each command loads
 * only its own modules. Read from the bundle the tests' own runs use
 * (build/cli/current.json): `--help` loads no package at all, `info` none of
 * the study's, and the Node worker entries are built beside the chunks that
 * start them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli/help.js';
import { ROOT, runCliText } from './run-cli.js';

/** The packages a bundle file imports statically, with every chunk it imports in turn. */
function staticImports(dir: string, file: string, seen = new Set<string>(), packages = new Set<string>()): Set<string> {
  if (seen.has(file)) return packages;
  seen.add(file);
  const text = readFileSync(path.join(dir, file), 'utf8');
  for (const m of text.matchAll(/^import\s*(?:[^;]*?from\s*)?"([^"]+)";/gms)) {
    if (m[1]!.startsWith('./')) staticImports(dir, m[1]!.slice(2), seen, packages);
    else packages.add(m[1]!);
  }
  return packages;
}

describe('the CLI bundle', () => {
  const help = runCliText(['--help']); // builds the bundle when it is stale
  const current = JSON.parse(readFileSync(path.join(ROOT, 'build', 'cli', 'current.json'), 'utf8')) as { dir: string; inputs: string[] };
  const dir = path.join(ROOT, 'build', 'cli', current.dir);
  const main = readFileSync(path.join(dir, 'main.mjs'), 'utf8');
  const chunkOf = (name: string) => new RegExp(`(?:${name}|"${name}"): async \\(\\) => \\(await import\\("\\./([^"]+)"\\)\\)`).exec(main)?.[1];

  it('lists every command on --help, loading no package', () => {
    expect(help.status).toBe(0);
    for (const h of Object.values(HELP)) expect(help.stdout).toContain(h);
    expect([...staticImports(dir, 'main.mjs')]).toEqual([]);
  });

  it('loads each command from its own chunk: info none of the study, registration or DICOM packages, nor itk-wasm\'s JavaScript (it runs image-io\'s pipeline file directly)', () => {
    const chunks = Object.keys(HELP).map(chunkOf);
    expect(chunks.every((c) => c !== undefined)).toBe(true);
    expect(new Set(chunks).size).toBe(chunks.length);
    const info = staticImports(dir, chunkOf('info')!);
    expect(info.has('node:fs/promises')).toBe(true);
    for (const heavy of ['itk-wasm', '@itk-wasm/image-io', '@itk-wasm/dicom', '@itk-wasm/elastix', 'comlink', 'yaml', 'ml-kmeans', 'node:worker_threads']) expect(info.has(heavy)).toBe(false);
  });

  it('carries the image pipelines\' WebAssembly decompressed, for the version installed (no zstd decoder at start-up)', () => {
    for (const [pkg, names] of [['@itk-wasm/image-io', ['nifti-read-image', 'nrrd-read-image', 'meta-read-image', 'nifti-write-image']], ['@itk-wasm/dicom', ['read-image-dicom-file-series']]] as const) {
      const { version } = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string };
      for (const n of names) {
        const wasm = readFileSync(path.join(dir, 'itk-wasm', `${pkg.replace('/', '+')}@${version}`, `${n}.wasm`));
        expect([...wasm.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]); // "\0asm"
      }
    }
  });

  it('builds the Node worker entries beside the chunks that start them, and records its sources', () => {
    for (const worker of ['cohort-extract-worker-node', 'study-worker-node']) {
      expect(existsSync(path.join(dir, `${worker}.mjs`))).toBe(true);
      expect(current.inputs).toContain(`src/core/${worker.startsWith('study') ? 'study' : 'radiomics'}/${worker}.ts`);
    }
    expect(current.inputs).toContain('src/cli/main.ts');
  });
});
