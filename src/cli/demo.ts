import { DEFAULT_GENERATE, generate, type GenerateFormat } from '../core/generate/index';

/** The default generated dataset as inputs for `detect --demo`, in the given form, encoded lazily chunk by chunk. */
export function demoSources(format: GenerateFormat = DEFAULT_GENERATE.format): { name: string; chunks(): AsyncIterable<Uint8Array> }[] {
  return generate({ ...DEFAULT_GENERATE, format }).files.map((file) => ({
    name: file.name,
    async *chunks(): AsyncIterable<Uint8Array> {
      const encoder = new TextEncoder();
      for (const text of file.chunks()) yield encoder.encode(text);
    },
  }));
}
