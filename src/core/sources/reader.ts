import type { LineReader, ReaderContext } from './format';
import type { TimeParser } from '../time';
import { PanosReader } from './panos';

/**
 * The reader for a file, or for a later part of one whose context is known.
 * With no context, the format is told from the lines themselves.
 */
export function createReader(context: ReaderContext | null, parseTime: TimeParser): LineReader {
  return new PanosReader(parseTime, context);
}
