import { generate } from '../core/generate/index';
import { blobChunks, textChunks } from './chunks';

/** One thing to read: a dropped file or a generated demo file. */
export interface Input {
  name: string;
  size: number | null;
  /** The dropped file, kept so the history can be read again under new settings. */
  file: File | null;
  demo: boolean;
  chunks(): AsyncIterable<Uint8Array>;
}

export function fileInputs(files: readonly File[]): Input[] {
  return files.map((f) => ({ name: f.name, size: f.size, file: f, demo: false, chunks: () => blobChunks(f) }));
}

export function demoInputs(): Input[] {
  return generate().files.map((f) => ({ name: f.name, size: null, file: null, demo: true, chunks: () => textChunks(f.chunks()) }));
}
