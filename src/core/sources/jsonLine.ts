/** One JSON-lines record, read defensively: every field is text from the file and may have any type. */

export type JsonRecord = Record<string, unknown>;

/** The line as a JSON object, or null when it is not one (cut short, not JSON, an array, a number). */
export function parseRecord(text: string, start: number, end: number): JsonRecord | null {
  if (text.charCodeAt(start) !== 123 /* '{' */) return null;
  let v: unknown;
  try {
    v = JSON.parse(text.slice(start, end));
  } catch {
    return null;
  }
  return isRecord(v) ? v : null;
}

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field, '' when absent or not a string. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A byte count: a whole number from 0 up, else null. */
export function byteCount(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}
