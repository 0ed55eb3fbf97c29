// comlink ships the Node adapter's types as dist/esm/node-adapter.d.ts, which the
// `.mjs` import path does not pick up under "moduleResolution": "Bundler".
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  import type { MessagePort, Worker } from 'node:worker_threads';
  export default function nodeEndpoint(nep: MessagePort | Worker): Endpoint;
}
