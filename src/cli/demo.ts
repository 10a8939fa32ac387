import { datasetFiles, DEFAULT_GENERATE, generate, type GenerateFormat } from '../core/generate/index';
import type { MapInput } from '../core/ingest/coordinator';

/**
 * The default generated dataset as inputs for `detect --demo`, in the given
 * form, with its endpoint view: each file made by the parse thread that reads
 * it (`chunks`, the same text encoded lazily, is there for readers of bytes).
 */
export function demoSources(format: GenerateFormat = DEFAULT_GENERATE.format): Omit<MapInput, 'source' | 'size'>[] {
  const options = { ...DEFAULT_GENERATE, format };
  return datasetFiles(generate(options)).map((file, index) => ({
    name: file.name,
    generated: { options, index },
    async *chunks(): AsyncIterable<Uint8Array> {
      const encoder = new TextEncoder();
      for (const text of file.chunks()) yield encoder.encode(text);
    },
  }));
}
