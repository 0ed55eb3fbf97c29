#!/usr/bin/env node
/**
 * The `habitat` CLI as a built bundle: src/cli/main.ts and the Node worker
 * entries it starts (found as `new URL('./x.ts', import.meta.url)` in
 * src/core) bundled by esbuild into build/cli/<build id>/, one chunk per
 * command so that each command loads only its own modules. node_modules
 * packages stay imports (itk-wasm finds its pipelines in its own package).
 *
 * build/cli/current.json names the current build and the source files it was
 * built from. `cliEntry()` (bin/habitat.mjs) checks them on every start and
 * rebuilds when one is newer than the build or gone, so a stale bundle is
 * never run. Builds go to a new folder and are switched to by renaming
 * current.json, so a process still running an older build keeps its files.
 *
 * `node scripts/cli-bundle.mjs` (npm's `prepare`, run by `npm ci`) builds when
 * needed; `--force` always builds.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'build', 'cli');
const CURRENT = path.join(OUT, 'current.json');
const LOCK = path.join(OUT, '.lock');
const ENTRY = path.join(root, 'src', 'cli', 'main.ts');
/** The core's public entries, resolved by name at build time (`publicEntries`), so not among the bundle's inputs. */
const ENTRIES = ['src/core/index.ts', 'src/core/node.ts'];
/** Besides the bundled sources: a change here changes the bundle too. */
const ALSO = ['scripts/cli-bundle.mjs', 'package.json', 'src/core/package.json', ...ENTRIES];
const WORKER_URL = /new URL\((['"])\.\/([\w.-]+)\.ts\1,\s*import\.meta\.url\)/g;

function readCurrent() {
  try {
    return JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return null;
  }
}

/** Why the bundle must be built, or null when build/cli/current.json is up to date. */
export function staleReason() {
  const cur = readCurrent();
  if (!cur) return 'no CLI bundle yet';
  if (!existsSync(path.join(OUT, cur.dir, 'main.mjs'))) return 'the CLI bundle is missing';
  for (const rel of [...cur.inputs, ...ALSO]) {
    let st;
    try {
      st = statSync(path.join(root, rel));
    } catch {
      return `${rel} is gone`;
    }
    if (st.mtimeMs > cur.builtAt) return `${rel} changed`;
  }
  return null;
}

/** Source files under src/core that start a Node worker from a sibling TypeScript entry, and those entries. */
function workerEntries() {
  const rewrite = new Map();
  const entries = {};
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        const text = readFileSync(p, 'utf8');
        if (!text.match(WORKER_URL)) continue;
        rewrite.set(p, text);
        for (const m of text.matchAll(WORKER_URL)) entries[m[2]] = path.join(path.dirname(p), `${m[2]}.ts`);
      }
    }
  };
  walk(path.join(root, 'src', 'core'));
  return { rewrite, entries };
}

const REEXPORT = /export\s+(type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)';|export\s+\*\s+from\s+'(\.[^']+)';/g;
const NAMED_FROM = /\b(import|export)\s+(type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)';/g;
const tsPath = (from, spec) => path.resolve(path.dirname(from), spec).replace(/\.js$/, '.ts');

/** Each name a public entry exports, with the module that defines it: entry path → (name → module path). */
function entryExports() {
  const map = new Map();
  const read = (entry) => {
    if (map.has(entry)) return map.get(entry);
    const names = new Map();
    for (const m of readFileSync(entry, 'utf8').matchAll(REEXPORT)) {
      if (m[4]) for (const [n, mod] of read(tsPath(entry, m[4]))) names.set(n, mod);
      else for (const n of m[2].split(',').map((x) => x.trim().replace(/^type\s+/, '')).filter(Boolean)) names.set(n, tsPath(entry, m[3]));
    }
    map.set(entry, names);
    return names;
  };
  for (const e of ENTRIES) read(path.join(root, e));
  return map;
}

/**
 * The CLI (and the demo generator) import the core through its public entries
 * (`src/core/node.ts`, `index.ts`, which re-export by name). esbuild's code splitting puts whole files into chunks, so an
 * entry that every command imports would put every module it names into the chunks
 * that every command loads (esbuild issue #3531). So the bundle takes each name from
 * the module that defines it: one `import { … } from '../../core/node.js'` becomes one
 * import per defining module, on the same lines (the source map is unchanged).
 */
function publicEntries() {
  return {
    name: 'public-entries',
    setup(b) {
      const exportsOf = entryExports();
      const core = path.join(root, 'src', 'core') + path.sep;
      b.onLoad({ filter: /\.tsx?$/ }, (args) => {
        if (args.path.startsWith(core) || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const contents = text.replace(NAMED_FROM, (all, kw, typeOnly, list, spec) => {
          const names = exportsOf.get(tsPath(args.path, spec));
          if (!names) return all;
          const byModule = new Map();
          for (const item of list.split(',').map((x) => x.trim()).filter(Boolean)) {
            const name = item.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
            const mod = names.get(name);
            if (!mod) throw new Error(`${args.path}: ${path.relative(root, tsPath(args.path, spec))} does not export ${name}`);
            byModule.set(mod, [...(byModule.get(mod) ?? []), item]);
          }
          const statements = [...byModule].map(([mod, items]) => {
            const rel = path.relative(path.dirname(args.path), mod).split(path.sep).join('/').replace(/\.ts$/, '.js');
            return `${kw} ${typeOnly ?? ''}{ ${items.join(', ')} } from '${rel.startsWith('.') ? rel : `./${rel}`}';`;
          });
          return statements.join(' ') + '\n'.repeat(all.split('\n').length - 1);
        });
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Run `fn` holding build/cli/.lock (one build at a time across processes). */
async function withLock(fn) {
  mkdirSync(OUT, { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(LOCK, { recursive: true, force: true }); // left by a killed build
      else if (waited > 600_000) throw new Error(`${LOCK}: another build has held this lock for ${Math.round(age / 1000)} s`);
      sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The itk-wasm pipelines the CLI reads and writes images with (src/core/image/io-node.ts). */
const PIPELINES = {
  '@itk-wasm/image-io': ['nifti', 'nrrd', 'meta'].flatMap((f) => [`${f}-read-image`, `${f}-write-image`]),
  '@itk-wasm/dicom': ['read-image-dicom-file-series', 'read-segmentation'],
};

/**
 * Decompressed copies of those pipelines' WebAssembly (shipped zstd-compressed)
 * into <outdir>/itk-wasm/<package>@<version>/, where itk-pipeline-node.ts looks
 * first: a start then needs no zstd decoder.
 */
async function unpackPipelines(outdir) {
  const require = createRequire(import.meta.url);
  const itkDist = path.dirname(require.resolve('itk-wasm'));
  const { ZSTDDecoder } = createRequire(path.join(itkDist, 'index-node.js'))('@thewtex/zstddec');
  const zstd = new ZSTDDecoder();
  await zstd.init();
  for (const [pkg, names] of Object.entries(PIPELINES)) {
    const dist = path.dirname(require.resolve(pkg));
    const { name, version } = JSON.parse(readFileSync(path.join(dist, '..', 'package.json'), 'utf8'));
    const dir = path.join(outdir, 'itk-wasm', `${name.replace('/', '+')}@${version}`);
    mkdirSync(dir, { recursive: true });
    for (const n of names) writeFileSync(path.join(dir, `${n}.wasm`), zstd.decode(new Uint8Array(readFileSync(path.join(dist, 'pipelines', `${n}.wasm.zst`)))));
  }
}

/** Build the bundle into a new build/cli/<id>/ and make it current. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const id = `${builtAt.toString(36)}-${process.pid}`;
  const outdir = path.join(OUT, id);
  const { rewrite, entries } = workerEntries();
  const r = await build({
    entryPoints: { main: ENTRY, ...entries },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [
      publicEntries(),
      {
        name: 'worker-entries',
        setup(b) {
          // a worker entry `new URL('./x.ts', import.meta.url)` is the built x.mjs beside the chunk that names it
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            const text = rewrite.get(args.path);
            if (text === undefined) return undefined;
            return { contents: text.replace(WORKER_URL, (_m, q, name) => `new URL(${q}./${name}.mjs${q}, import.meta.url)`), loader: 'ts' };
          });
        },
      },
    ],
  });
  await unpackPipelines(outdir);
  const inputs = Object.keys(r.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  const tmp = `${CURRENT}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ dir: id, builtAt, inputs }, null, 1) + '\n');
  renameSync(tmp, CURRENT);
  // builds a day old are not in use any more
  for (const e of readdirSync(OUT, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === id || e.name === '.lock') continue;
    const p = path.join(OUT, e.name);
    if (statSync(p).mtimeMs < Date.now() - 24 * 3600_000) rmSync(p, { recursive: true, force: true });
  }
  return path.join(outdir, 'main.mjs');
}

/** The current bundle's entry (a file: URL), built first when it is missing or older than its sources. */
export async function cliEntry({ force = false, log = () => {} } = {}) {
  let reason = force ? 'forced' : staleReason();
  if (reason) {
    await withLock(async () => {
      reason = force ? 'forced' : staleReason(); // another process may have built it meanwhile
      if (!reason) return;
      log(`building the CLI bundle (${reason})`);
      await buildCli();
    });
  }
  return pathToFileURL(path.join(OUT, readCurrent().dir, 'main.mjs')).href;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const reason = force ? 'forced' : staleReason();
  await cliEntry({ force, log: (m) => console.error(`cli-bundle: ${m}`) });
  if (!reason) console.error('cli-bundle: build/cli is up to date');
}
