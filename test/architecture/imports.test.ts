/**
 * The layering of docs/ARCHITECTURE.md, checked on the import graph rather than
 * assumed: core domains import downwards only, no file takes part in an import
 * cycle, the core imports nothing outside itself, and only Node-only files
 * (`*-node.ts`, `node.ts`) import Node-only files.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, coreDomain, importCycles, importGraph, upwardEdges, type ImportEdge } from './import-graph.js';

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

const core = importGraph(['src/core']);
const everything = importGraph(['src', 'workers']);
const isNodeOnly = (f: string) => /-node\.(ts|mjs)$/.test(f) || f === 'src/core/node.ts';

describe('the checks themselves', () => {
  const e = (from: string, to: string): ImportEdge => ({ from, to });
  it('find an upward edge, an unplaced domain, and pass a downward one', () => {
    const edges = [e('src/core/image/a.ts', 'src/core/util/b.ts'), e('src/core/filters/a.ts', 'src/core/study/b.ts'), e('src/core/nowhere/a.ts', 'src/core/util/b.ts')];
    const found = upwardEdges(edges, CORE_LAYERS);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/filters may not import study/);
    expect(found[1]).toMatch(/'nowhere' is not in the layer order/);
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

  it('reaches index.ts only from node.ts and browser.ts, and Node-only files only from Node-only files', () => {
    const wrong = core.filter(
      (x) => (coreDomain(x.to) === undefined && !(['src/core/node.ts', 'src/core/browser.ts'].includes(x.from) && x.to === 'src/core/index.ts')) || (isNodeOnly(x.to) && !isNodeOnly(x.from)),
    );
    expect(wrong.map((x) => `${x.from} -> ${x.to}`)).toEqual([]);
  });
});

describe('src and workers', () => {
  it('have no import cycles (static, type-only or dynamic)', () => {
    expect(importCycles(everything)).toEqual([]);
  });

  it('import Node-only core files only from Node code (the CLI, Node-only files)', () => {
    const wrong = everything.filter((x) => isNodeOnly(x.to) && !isNodeOnly(x.from) && !x.from.startsWith('src/cli/'));
    expect(wrong.map((x) => `${x.from} -> ${x.to}`)).toEqual([]);
  });
});
