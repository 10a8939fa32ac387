import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { MapInput } from '../core/ingest/coordinator';
import { readChunks } from './files';

/**
 * The answer key `offbrowse generate` writes beside its logs (truth.json:
 * `{"alerts": [...], "nearMisses": [...]}`), which `detect DIR/*` would
 * otherwise read as a log and refuse.
 */
function isGeneratedTruth(path: string): boolean {
  if (basename(path) !== 'truth.json') return false;
  try {
    if (statSync(path).size > 64 << 20) return false;
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return (
      typeof v === 'object' &&
      v !== null &&
      Array.isArray((v as Record<string, unknown>).alerts) &&
      Array.isArray((v as Record<string, unknown>).nearMisses)
    );
  } catch {
    return false;
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // The map says why it cannot be read.
    return true;
  }
}

/** The files named on the command line, as the map reads them; generate's truth.json is passed over with a word. */
export function fileInputs(paths: readonly string[]): Omit<MapInput, 'source'>[] {
  const inputs: Omit<MapInput, 'source'>[] = [];
  for (const path of paths) {
    if (isGeneratedTruth(path)) {
      process.stderr.write(`file ${path}: passed over: the expected alerts offbrowse generate writes, not a log\n`);
      continue;
    }
    // A pipe (`<(zcat ...)`) is read once: its head cannot be looked at before the map (core/ingest/endpointHead.ts).
    inputs.push({ name: path, size: null, chunks: () => readChunks(path), onePass: !isRegularFile(path) });
  }
  return inputs;
}
