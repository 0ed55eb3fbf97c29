// Stands in for @types/node when tsconfig.core.json checks src/core: libraries
// whose typings reference Node (papaparse's `/// <reference types="node" />`)
// resolve here, so Node's globals (process, Buffer, require, …) stay undeclared
// and any use of them in the core is a type error.
declare namespace NodeJS {
  // papaparse's LocalFile = File | NodeJS.ReadableStream (never used by the core).
  interface ReadableStream {}
}
