/**
 * The layering of docs/ARCHITECTURE.md, checked on the import graph rather than
 * assumed: core domains import downwards only, no file takes part in an import
 * cycle, the core imports nothing outside itself, only Node-only files
 * (`*-node.ts`, `node.ts`) import Node-only files, and code outside the core
 * reaches it through its public entries only.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT,
  coreDomain,
  deepCoreImports,
  entryProblems,
  importCycles,
  importGraph,
  importTimeStatements,
  namesExportedBy,
  namesTakenFrom,
  sourceFiles,
  upwardEdges,
  type ImportEdge,
} from './import-graph.js';

/**
 * The core domains from the bottom up: a domain may import itself and the ones
 * before it. (util, parallel and report know nothing of images; cohort is the
 * folder layout; harmonise builds on learn; import and study are the top.)
 */
export const CORE_LAYERS = [
  'util',
  'parallel',
  'report',
  'cohort',
  'image',
  'stats',
  'filters',
  'habitats',
  'learn',
  'harmonise',
  'radiomics',
  'import',
  'study',
] as const;

/**
 * The core's public entries: the only core files that code outside the core
 * (src/cli, src/ui, src/demo, src/main.tsx, workers/) may import. Tests, benchmarks
 * and scripts may import any core file.
 */
export const PUBLIC_ENTRIES = ['src/core/index.ts', 'src/core/node.ts', 'src/core/browser.ts'] as const;

const core = importGraph(['src/core']);
const everything = importGraph(['src', 'workers']);
const isNodeOnly = (f: string) => /-node\.(ts|mjs)$/.test(f) || f === 'src/core/node.ts';
const isBrowserOnly = (f: string) => /-browser\.ts$/.test(f) || f === 'src/core/browser.ts';
const isNodeCode = (f: string) => isNodeOnly(f) || f.startsWith('src/cli/');

describe('the checks themselves', () => {
  const e = (from: string, to: string): ImportEdge => ({ from, to });
  it('find an upward edge, an unplaced domain, and pass a downward one', () => {
    const edges = [e('src/core/image/a.ts', 'src/core/util/b.ts'), e('src/core/filters/a.ts', 'src/core/study/b.ts'), e('src/core/nowhere/a.ts', 'src/core/util/b.ts')];
    const found = upwardEdges(edges, CORE_LAYERS);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/filters may not import study/);
    expect(found[1]).toMatch(/'nowhere' is not in the layer order/);
  });
  it('find an import past the public entries, and pass one through them or within the core', () => {
    const edges = [e('src/ui/a.tsx', 'src/core/study/config.ts'), e('workers/w.ts', 'src/core/index.ts'), e('src/core/study/b.ts', 'src/core/image/volume.ts'), e('src/cli/c.ts', 'src/core/node.ts')];
    expect(deepCoreImports(edges, PUBLIC_ENTRIES)).toEqual(['src/ui/a.tsx -> src/core/study/config.ts']);
  });
  it('find a statement that runs on import, and a public entry that defines or renames', () => {
    expect(importTimeStatements('src/core/study/study-worker-node.ts')).toEqual([expect.stringMatching(/^src\/core\/study\/study-worker-node\.ts:\d+: exposeNodeWorker\(/)]);
    expect(entryProblems('src/core/study/config-schema.ts', PUBLIC_ENTRIES).length).toBeGreaterThan(0);
  });
  it('find a three-file cycle and a self-import, and no cycle in a chain', () => {
    expect(importCycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd')])).toEqual([['a', 'b', 'c']]);
    expect(importCycles([e('x', 'x')])).toEqual([['x']]);
    expect(importCycles([e('a', 'b'), e('b', 'c'), e('a', 'c')])).toEqual([]);
  });
});

describe('src/core', () => {
  it('reads a real graph (every domain folder present)', () => {
    const folders = readdirSync(path.join(ROOT, 'src/core'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect([...folders].sort()).toEqual([...CORE_LAYERS].sort());
    expect(core.length).toBeGreaterThan(300);
  });

  it('has no upward imports between domains', () => {
    expect(upwardEdges(core, CORE_LAYERS)).toEqual([]);
  });

  it('imports nothing outside src/core (no UI, CLI, demo or worker code)', () => {
    expect(core.filter((x) => !x.to.startsWith('src/core/')).map((x) => `${x.from} -> ${x.to}`)).toEqual([]);
  });

  it('reaches index.ts only from node.ts and browser.ts, node.ts and browser.ts never, and Node-only files only from Node-only files', () => {
    const wrong = core.filter(
      (x) => (coreDomain(x.to) === undefined && !(['src/core/node.ts', 'src/core/browser.ts'].includes(x.from) && x.to === 'src/core/index.ts')) || (isNodeOnly(x.to) && !isNodeOnly(x.from)),
    );
    expect(wrong.map((x) => `${x.from} -> ${x.to}`)).toEqual([]);
  });

  it('keeps the radiomics kernels below both engines (kernels/ imports no other radiomics file) and used by both', () => {
    const KERNELS = 'src/core/radiomics/kernels/';
    const fromKernels = core.filter((x) => x.from.startsWith(KERNELS) && x.to.startsWith('src/core/radiomics/') && !x.to.startsWith(KERNELS));
    expect(fromKernels.map((x) => `${x.from} -> ${x.to}`)).toEqual([]);
    const users = (engine: (f: string) => boolean) => new Set(core.filter((x) => engine(x.from) && x.to.startsWith(KERNELS)).map((x) => x.to));
    const ibsi = users((f) => f.startsWith('src/core/radiomics/ibsi/'));
    const pyradiomics = users((f) => f.startsWith('src/core/radiomics/') && !f.startsWith('src/core/radiomics/ibsi/') && !f.startsWith(KERNELS));
    const kernels = readdirSync(path.join(ROOT, KERNELS)).map((f) => KERNELS + f);
    expect(kernels.length).toBeGreaterThanOrEqual(5);
    for (const k of kernels) expect([k, ibsi.has(k), pyradiomics.has(k)]).toEqual([k, true, true]);
  });

  it('does nothing on import but define things, but for the Node worker entries (as src/core/package.json declares to bundlers)', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'src/core/package.json'), 'utf8')).sideEffects).toEqual(['*-worker-node.ts', '*.mjs']);
    const files = sourceFiles('src/core').filter((f) => !/-worker-node\.ts$|\.mjs$/.test(f));
    expect(files.length).toBeGreaterThan(150);
    expect(files.flatMap(importTimeStatements)).toEqual([]);
  });

  it('has public entries that re-export by name, each name used outside the core', () => {
    expect(PUBLIC_ENTRIES.flatMap((f) => entryProblems(f, PUBLIC_ENTRIES))).toEqual([]);
    const taken = namesTakenFrom(['src/cli', 'src/ui', 'src/demo', 'workers'], PUBLIC_ENTRIES);
    const used = new Set([...taken.values()].flatMap((names) => [...names]));
    expect(used.size).toBeGreaterThan(100);
    const unused = PUBLIC_ENTRIES.flatMap((f) => namesExportedBy(f).filter((n) => !used.has(n)).map((n) => `${f}: ${n}`));
    expect(unused).toEqual([]);
  });
});

describe('src and workers', () => {
  it('have no import cycles (static, type-only or dynamic)', () => {
    expect(importCycles(everything)).toEqual([]);
  });

  it('import Node-only core files only from Node code (the CLI, Node-only files), and browser-only ones never from Node code', () => {
    const wrong = everything.filter((x) => (isNodeOnly(x.to) && !isNodeCode(x.from)) || (isBrowserOnly(x.to) && isNodeCode(x.from)));
    expect(wrong.map((x) => `${x.from} -> ${x.to}`)).toEqual([]);
  });

  it('reach the core through its public entries only (src/core/index.ts, node.ts, browser.ts)', () => {
    expect(everything.some((x) => x.from.startsWith('src/ui/') && x.to === 'src/core/index.ts')).toBe(true);
    expect(deepCoreImports(everything, PUBLIC_ENTRIES)).toEqual([]);
  });
});
