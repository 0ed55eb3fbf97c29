/**
 * Node binding of `register.ts`: elastix through `elastixNode`, which loads its
 * WebAssembly pipeline from node_modules (no network). Re-exported from
 * `src/core/node.ts` only.
 */
import { elastixNode } from '@itk-wasm/elastix';
import type { Volume } from './volume.js';
import { registerVolumes, type ElastixFunction, type RegisterOptions, type RegisterResult } from './register.js';

const runElastixNode: ElastixFunction = (parameterObject, options) => elastixNode(parameterObject, options);

export function registerVolumesNode(fixed: Volume, moving: Volume, opts: RegisterOptions = {}): Promise<RegisterResult> {
  return registerVolumes(fixed, moving, runElastixNode, opts);
}
