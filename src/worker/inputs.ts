import { DEFAULT_GENERATE, generate } from '../core/generate/index';
import type { MapInput } from '../core/map/coordinator';
import { blobChunks, textChunks } from './chunks';

/** One thing to read: a dropped file or a generated demo file. */
export interface Input {
  name: string;
  size: number | null;
  /** The dropped file, kept so the history can be read again under new settings. */
  file: File | null;
  demo: boolean;
  chunks(): AsyncIterable<Uint8Array>;
  /** A file of the generated dataset, made by a parse worker (src/core/map/coordinator.ts MapInput). */
  generated?: MapInput['generated'];
}

export function fileInputs(files: readonly File[]): Input[] {
  return files.map((f) => ({ name: f.name, size: f.size, file: f, demo: false, chunks: () => blobChunks(f) }));
}

/** The demo dataset: each file made by the parse worker that reads it, so making the data runs on every core too. */
export function demoInputs(): Input[] {
  const options = { ...DEFAULT_GENERATE };
  return generate(options).files.map((f, index) => ({
    name: f.name, size: null, file: null, demo: true, chunks: () => textChunks(f.chunks()), generated: { options, index },
  }));
}
