// The globals the compute core may use: the part of the web platform that both
// Node (>= 20) and Web Workers provide, declared as narrowly as the core uses it.
// tsconfig.core.json checks src/core against ES2023 plus this file only, so a
// DOM-only (document, window, fetch, …) or Node-only (process, Buffer, …) name
// in the core is a type error. Add a name here only if both runtimes have it.

interface TextDecoderOptions { fatal?: boolean; ignoreBOM?: boolean }
interface TextDecoder {
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: TextDecoderOptions): TextDecoder };

interface TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}
declare var AbortSignal: { prototype: AbortSignal };

declare function structuredClone<T>(value: T): T;
