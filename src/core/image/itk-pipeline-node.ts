/**
 * itk-wasm pipelines in Node, each WebAssembly module decoded, compiled and
 * instantiated ONCE per process (or worker thread) and reused for every file.
 * itk-wasm's own `runPipelineNode` (behind `readImageNode`, `writeImageNode`,
 * `readImageDicomFileSeriesNode`) builds a fresh module on every call; its
 * browser runner keeps them, and this does the same in Node with itk-wasm's
 * own module loader and runner.
 *
 * ITK's console text: a pipeline module prints through `console.log` /
 * `console.error` (its `print` hooks are fixed inside the module; the text is
 * also kept and returned as `stdout` / `stderr`). A pipeline run is
 * synchronous, so those two are replaced only for the run itself: no other
 * code can write in that window, and nothing else is ever muted.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PipelineInput, PipelineOutput } from 'itk-wasm';

/** The part of an itk-wasm pipeline module used here. */
interface PipelineModule {
  mountDir(dir: string): string;
  unmountDir(dir: string): void;
}
/** What a run gives back (itk-wasm's runner's result). */
export interface RunPipelineResult {
  returnValue: number;
  stdout: string;
  stderr: string;
  outputs: PipelineOutput[];
}
type LoadModule = (modulePath: string) => Promise<PipelineModule>;
type RunEmscripten = (m: PipelineModule, args: string[], outputs: PipelineOutput[] | null, inputs: PipelineInput[] | null) => RunPipelineResult;

const require = createRequire(import.meta.url);

/** The folder holding a package's `dist/` (its Node entry is `dist/index-node.js`). */
const distOf = (pkg: string): string => path.dirname(require.resolve(pkg));

const internal = (file: string) => import(pathToFileURL(path.join(distOf('itk-wasm'), 'pipeline', 'internal', file)).href);

/**
 * itk-wasm's Node module loader and its runner, which its package exports only
 * wrapped together in `runPipelineNode`; imported from their files, the
 * loader (which starts a zstd decoder) only when a pipeline has no
 * decompressed copy.
 */
let loader: Promise<LoadModule> | null = null;
let runner: Promise<RunEmscripten> | null = null;
const itkLoader = () => (loader ??= internal('load-emscripten-module-node.js').then((m) => m.default as LoadModule));
const itkRunner = () => (runner ??= internal('run-pipeline-emscripten.js').then((m) => m.default as RunEmscripten));

/**
 * The pipeline's WebAssembly already decompressed: the CLI bundle carries
 * copies (scripts/cli-bundle.mjs writes them to `itk-wasm/<package>@<version>/`
 * beside its chunks), which spares zstd's decoder (and the fetch machinery it
 * loads in Node) at every start. Null when running from source.
 */
function unpackedWasm(pipeline: string): Uint8Array | null {
  try {
    const pkgDir = path.resolve(pipeline, '..', '..', '..'); // <package>/dist/pipelines/<name>
    const { name, version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { name: string; version: string };
    return readFileSync(fileURLToPath(new URL(`./itk-wasm/${name.replace('/', '+')}@${version}/${path.basename(pipeline)}.wasm`, import.meta.url)));
  } catch {
    return null;
  }
}

async function loadModule(pipeline: string): Promise<PipelineModule> {
  const wasmBinary = unpackedWasm(pipeline);
  if (!wasmBinary) return (await itkLoader())(pipeline);
  const factory = (await import(pathToFileURL(`${pipeline}.js`).href)).default as (o: { wasmBinary: Uint8Array }) => Promise<PipelineModule>;
  return factory({ wasmBinary });
}

const modules = new Map<string, Promise<PipelineModule>>();

/** How many pipeline modules this process has instantiated (benchmarks, tests). */
export const pipelineStats = { instantiated: 0 };

function pipelineModule(pipelinePath: string): Promise<PipelineModule> {
  let m = modules.get(pipelinePath);
  if (!m) {
    m = loadModule(pipelinePath).then((mod) => {
      pipelineStats.instantiated++;
      return mod;
    });
    modules.set(pipelinePath, m);
    m.catch(() => modules.delete(pipelinePath));
  }
  return m;
}

/** The pipeline `name` (e.g. `nrrd-read-image`) of an itk-wasm package (e.g. `@itk-wasm/image-io`). */
export function pipelinePath(pkg: string, name: string): string {
  return path.join(distOf(pkg), 'pipelines', name);
}

/**
 * Run a pipeline on its cached module. `mountDirs`: the host folders its
 * file arguments are in (mounted for the run, unmounted after it, also when
 * it fails). ITK's console text during the run is dropped (it is in the
 * result's `stdout` / `stderr`). A run that throws (a C++ exception) drops
 * the module, so the next call starts from a fresh one.
 */
export async function runItkPipeline(
  pipeline: string,
  args: string[],
  outputs: PipelineOutput[],
  inputs: PipelineInput[],
  mountDirs: Iterable<string>,
): Promise<RunPipelineResult> {
  const run = await itkRunner();
  const mod = await pipelineModule(pipeline);
  // From here to the return, nothing awaits: the run is one synchronous stretch.
  const mounted = new Set<string>();
  for (const d of new Set(mountDirs)) mounted.add(mod.mountDir(d));
  // Unmounting a folder takes the mounts inside it along: unmount only those in no other.
  const outermost = [...mounted].filter((d) => ![...mounted].some((o) => o !== d && d.startsWith(o)));
  const { log, error } = console;
  console.log = console.error = () => undefined;
  try {
    return run(mod, args.slice(), outputs, inputs);
  } catch (e) {
    modules.delete(pipeline);
    throw e;
  } finally {
    console.log = log;
    console.error = error;
    for (const d of outermost) {
      try {
        mod.unmountDir(d);
      } catch {
        modules.delete(pipeline); // a module whose file system is in doubt is not reused
      }
    }
  }
}
