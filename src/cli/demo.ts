import { DEFAULT_GENERATE, generate } from '../core/generate/index';

/** The default generated dataset as inputs for `detect --demo`, encoded lazily chunk by chunk. */
export function demoSources(): { name: string; chunks(): AsyncIterable<Uint8Array> }[] {
  return generate(DEFAULT_GENERATE).files.map((file) => ({
    name: file.name,
    async *chunks(): AsyncIterable<Uint8Array> {
      const encoder = new TextEncoder();
      for (const text of file.chunks()) yield encoder.encode(text);
    },
  }));
}
