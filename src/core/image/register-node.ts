/**
 * Node binding of `register.ts`: elastix's WebAssembly pipeline from
 * node_modules (no network), run on a module instantiated once per process or
 * worker thread (`itk-pipeline-node.ts`). `@itk-wasm/elastix`'s own
 * `elastixNode` decodes and compiles the 16 MB module again at every call
 * (≈ 0.2 s of CPU per registration). Re-exported from `src/core/node.ts` only.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Image, JsonCompatible, PipelineInput, PipelineOutput } from 'itk-wasm';
import type { Volume } from './volume.js';
import { registerVolumes, type ElastixFunction, type RegisterOptions, type RegisterResult } from './register.js';
import { runItkPipeline } from './itk-pipeline-node.js';

/** The elastix pipeline of `@itk-wasm/elastix` (its Node entry is `dist/index-node.js`, beside `dist/pipelines/`). */
const elastixPipeline = path.join(path.dirname(createRequire(import.meta.url).resolve('@itk-wasm/elastix')), 'pipelines', 'elastix');

/**
 * elastix on the cached module, with the command line of the package's
 * `elastixNode`: the parameter object is input 0, the fixed and moving images
 * inputs 1 and 2; outputs are the result image, the transform and the
 * transform parameter object, all in memory.
 */
export const elastixCachedNode: ElastixFunction = async (parameterObject, { fixed, moving }) => {
  const inputs: PipelineInput[] = [
    { type: 'JsonCompatible', data: parameterObject },
    { type: 'Image', data: fixed },
    { type: 'Image', data: moving },
  ];
  const outputs: PipelineOutput[] = [{ type: 'Image' }, { type: 'TransformList' }, { type: 'JsonCompatible' }];
  const args = ['0', '0', '1', '2', '--memory-io', '--fixed', '1', '--moving', '2'];
  const r = await runItkPipeline(elastixPipeline, args, outputs, inputs, []);
  if (r.returnValue !== 0) throw new Error(r.stderr.trim() || `elastix failed (code ${r.returnValue})`);
  return { result: r.outputs[0]?.data as Image, transformParameterObject: r.outputs[2]?.data as JsonCompatible };
};

export function registerVolumesNode(fixed: Volume, moving: Volume, opts: RegisterOptions = {}): Promise<RegisterResult> {
  return registerVolumes(fixed, moving, elastixCachedNode, opts);
}
