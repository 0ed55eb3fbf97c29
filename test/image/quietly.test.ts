/**
 * ITK's console text during an image read (itk-pipeline-node.ts): hidden at its
 * source, the pipeline run, and nothing else muted. An earlier version muted
 * console and process.stdout/stderr for the whole asynchronous read, so lines
 * written meanwhile by other code (a report, a progress line) were lost.
 * Also: each pipeline module is instantiated once per process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readVolume } from '../../src/core/image/io-node.js';
import { pipelinePath, pipelineStats, runItkPipeline } from '../../src/core/image/itk-pipeline-node.js';
import { sharedPath } from '../shared-data.js';

const brain1 = sharedPath('pyradiomics-data', 'brain1_image.nrrd');
const label1 = sharedPath('pyradiomics-data', 'brain1_label.nrrd');

/** Everything written to console.* and process.stdout/stderr while spied, in order. */
function capture() {
  const seen: string[] = [];
  const keep = (where: string) => (...a: unknown[]) => {
    seen.push(`${where}:${a.map(String).join(' ')}`);
    return true;
  };
  for (const m of ['log', 'error', 'warn', 'info'] as const) vi.spyOn(console, m).mockImplementation(keep(m));
  vi.spyOn(process.stdout, 'write').mockImplementation(keep('stdout') as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep('stderr') as typeof process.stderr.write);
  return seen;
}

afterEach(() => vi.restoreAllMocks());

describe('ITK console text', () => {
  it('a failing pipeline run prints nothing (itk-wasm logs "Exception while running pipeline" there), and the error still comes back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'habitat-quiet-'));
    const bad = path.join(dir, 'bad.nrrd');
    writeFileSync(bad, 'NRRD0004\ntype: short\ndimension: 3\nsizes: 4 4 4\nencoding: raw\n\nabc');
    const seen = capture();
    await expect(
      runItkPipeline(pipelinePath('@itk-wasm/image-io', 'nrrd-read-image'), [bad, '0', '1', '--memory-io'], [{ type: 'JsonCompatible' }, { type: 'Image' }], [], [dir]),
    ).rejects.toBeDefined();
    expect(seen).toEqual([]);
    // the writers are the ones from before the run
    console.log('after');
    expect(seen).toEqual(['log:after']);
  });

  it('lines written by other code while images are read all arrive, in order', async () => {
    const seen = capture();
    let reading = true;
    const sent: string[] = [];
    const ticker = (async () => {
      for (let n = 0; reading || n < 20; n++) {
        const where = (['stdout', 'stderr', 'log', 'error'] as const)[n % 4]!;
        const line = `line ${n}`;
        if (where === 'stdout') process.stdout.write(line);
        else if (where === 'stderr') process.stderr.write(line);
        else console[where](line);
        sent.push(`${where}:${line}`);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const vols = await Promise.all([readVolume(brain1), readVolume(label1), readVolume(brain1)]);
    reading = false;
    const duringReads = sent.length;
    await ticker;
    expect(vols.map((v) => v.size)).toEqual([[256, 256, 25], [256, 256, 25], [256, 256, 25]]);
    expect(duringReads).toBeGreaterThan(0);
    expect(seen).toEqual(sent);
  });
});

describe('pipeline modules', () => {
  it('are instantiated once per process, and again only after a run that threw', async () => {
    await readVolume(brain1);
    const before = pipelineStats.instantiated;
    const a = await readVolume(brain1);
    const b = await readVolume(label1);
    expect(pipelineStats.instantiated).toBe(before);
    expect(a.data.length).toBe(b.data.length);

    const dir = mkdtempSync(path.join(tmpdir(), 'habitat-quiet-'));
    const bad = path.join(dir, 'bad.nrrd');
    writeFileSync(bad, 'NRRD0004\ntype: short\ndimension: 3\nsizes: 4 4 4\nencoding: raw\n\nabc');
    const nrrd = pipelinePath('@itk-wasm/image-io', 'nrrd-read-image');
    await expect(runItkPipeline(nrrd, [bad, '0', '1', '--memory-io'], [{ type: 'JsonCompatible' }, { type: 'Image' }], [], [dir])).rejects.toBeDefined();
    const c = await readVolume(brain1);
    expect(pipelineStats.instantiated).toBe(before + 1);
    expect(Array.from(c.data)).toEqual(Array.from(a.data));
  });
});
