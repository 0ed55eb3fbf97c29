/**
 * Issue 16: every command's output drains before the process exits. Each
 * command's largest output goes straight into a slow reader (a child process
 * that waits a second after the first bytes, then reads 4 KiB at a time: a
 * pipe holds 64 KiB, so a process that exits without draining loses the rest)
 * and must equal, byte for byte, the `--out` file or the output read at once;
 * the exit code must be the command's. Error lines end with a newline.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { featuresMarkdown } from '../../src/core/radiomics/features-doc.js';
import { mergeCohortCsvs } from '../../src/core/radiomics/cohort-extract.js';
import { PYRAD, sharedPath } from '../shared-data.js';
import { runCli, runCliSlowReader } from './run-cli.js';
import { HELP } from '../../src/cli/help.js';

const PIPE = 64 * 1024;
const brain2 = [path.join(PYRAD, 'brain2_image.nrrd'), path.join(PYRAD, 'brain2_label.nrrd')];
const paper = sharedPath('pyradiomics-data', 'reference-3.1', 'paper.yaml');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'hw-drain-'));

describe('CLI output through a slow reader', () => {
  it('extract --format json and csv: stdout equals the --out file (paper set on brain2, more than a pipe holds)', async () => {
    const dir = tmp();
    for (const format of ['json', 'csv']) {
      const out = path.join(dir, `features.${format}`);
      const file = runCli(['extract', ...brain2, '--params', paper, '--format', format, '--out', out]);
      expect(file.status, file.stderr.toString()).toBe(0);
      expect(file.stdout.length).toBe(0);
      const slow = await runCliSlowReader(['extract', ...brain2, '--params', paper, '--format', format], 'stdout');
      expect(slow.status, slow.stderr.toString()).toBe(0);
      const expected = readFileSync(out);
      expect(slow.stdout.length).toBe(expected.length);
      expect(slow.stdout.equals(expected)).toBe(true);
    }
  });

  it('extract --docs: the whole feature reference', async () => {
    const slow = await runCliSlowReader(['extract', '--docs'], 'stdout');
    expect(slow.status).toBe(0);
    const expected = Buffer.from(featuresMarkdown());
    expect(slow.stdout.equals(expected)).toBe(true);
  });

  it('info --json: equals the output read at once', async () => {
    const args = ['info', brain2[0]!, '--json'];
    const fast = runCli(args);
    const slow = await runCliSlowReader(args, 'stdout');
    expect(fast.status).toBe(0);
    expect(slow.status).toBe(0);
    expect(JSON.parse(slow.stdout.toString()).size).toEqual([256, 256, 23]);
    expect(slow.stdout.equals(fast.stdout)).toBe(true);
  });

  it('check --json on a folder with 800 problems (exit 1): equals the output read at once', async () => {
    const dir = tmp();
    for (let p = 0; p < 400; p++) {
      mkdirSync(path.join(dir, `P${String(p).padStart(3, '0')}`));
      for (const f of ['T2WI.nii.gz', 'mask.nii.gz']) writeFileSync(path.join(dir, `P${String(p).padStart(3, '0')}`, f), '');
    }
    const fast = runCli(['check', dir, '--json']);
    expect(fast.status).toBe(1);
    expect(fast.stdout.length).toBeGreaterThan(PIPE);
    const slow = await runCliSlowReader(['check', dir, '--json'], 'stdout');
    expect(slow.status).toBe(1);
    expect(JSON.parse(slow.stdout.toString()).problems.length).toBeGreaterThanOrEqual(800);
    expect(slow.stdout.equals(fast.stdout)).toBe(true);
  });

  it('merge: the --out file is the merged CSV, its line on stdout complete', async () => {
    const dir = tmp();
    const header = 'patient,sequence,image,mask,original_firstorder_Mean';
    const shards = [0, 1].map((s) => {
      const name = path.join(dir, `shard${s}.csv`);
      const rows = Array.from({ length: 2000 }, (_, n) => n).filter((n) => n % 2 === s).map((n) => `P${String(n).padStart(4, '0')},T2WI,P${n}/T2WI.nii.gz,P${n}/mask.nii.gz,${n / 7}`);
      writeFileSync(name, [header, ...rows].join('\n') + '\n');
      return name;
    });
    const out = path.join(dir, 'all.csv');
    const slow = await runCliSlowReader(['merge', ...shards, '--out', out], 'stdout');
    expect(slow.status).toBe(0);
    expect(slow.stdout.toString()).toBe(`merge: wrote ${out}: 2000 rows from 2 files\n`);
    const expected = mergeCohortCsvs(shards.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
    expect(readFileSync(out, 'utf8')).toBe(expected);
  });

  it('a usage error (exit 2) and a one-line error (exit 1) reach a slow stderr whole, each line ending in a newline', async () => {
    const usage = await runCliSlowReader(['no-such-command'], 'stderr');
    expect(usage.status).toBe(2);
    // …down to the last command's help line, whole
    const lastHelp = Object.values(HELP).at(-1)!;
    expect(usage.stderr.toString()).toMatch(/^habitat: unknown command "no-such-command"\nusage: habitat <command>/);
    expect(usage.stderr.toString().endsWith(`\n  ${lastHelp}\n`)).toBe(true);
    expect(usage.stderr.equals(runCli(['no-such-command']).stderr)).toBe(true);

    const missing = path.join(tmp(), 'x.nii.gz');
    const err = await runCliSlowReader(['preprocess', missing, '--out', path.join(tmp(), 'y.nii.gz')], 'stderr');
    expect(err.status).toBe(1);
    expect(err.stderr.toString()).toBe(`habitat: ${missing}: no such file or folder\n`);
    const nothing = runCli(['preprocess', brain2[0]!, '--out', path.join(tmp(), 'y.nii.gz')]);
    expect(nothing.status).toBe(2);
    expect(nothing.stderr.toString()).toBe('habitat: nothing to do: give at least one of --n4, --normalize, --resample, --register-to\n');
  });
});
