// The only platform APIs src/core may use: each exists alike in browsers, in
// workers and in Node, so core runs in all three. Core's TypeScript project
// (src/core/tsconfig.json) has no DOM, WebWorker or Node types; these
// declarations are all it sees beyond the language itself, typed as narrowly
// as core uses them. Anything else (the DOM, IndexedDB, node:fs, ...) does
// not compile there. The other projects check core against the real libraries.

interface TextEncoder {
  encode(input: string): Uint8Array<ArrayBuffer>;
}
declare const TextEncoder: { new (): TextEncoder };

interface TextDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare const TextDecoder: {
  new (label?: 'utf-8' | 'utf-16le' | 'utf-16be', options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};

interface SubtleCrypto {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}
declare const crypto: { readonly subtle: SubtleCrypto };

/** Core only reads whether a run was cancelled; the caller owns the controller. */
interface AbortSignal {
  readonly aborted: boolean;
}

declare function structuredClone<T>(value: T): T;
