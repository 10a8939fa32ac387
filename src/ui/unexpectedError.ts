import { errorMessage } from '../core/util/errorMessage';

/** An error nothing in the page caught, as the page reports it. */
export interface UnexpectedError {
  message: string;
  /** What "Copy details" puts on the clipboard: how it surfaced, the message and the stack where there is one. */
  details: string;
}

/** How an uncaught error reached the window. */
export type Surfaced = 'error' | 'unhandled rejection';

/**
 * Chromium's report that a ResizeObserver callback caused another layout
 * pass; the spec makes it an `error` event, but nothing failed.
 */
function benign(message: string): boolean {
  return /^ResizeObserver loop/.test(message);
}

/**
 * The report of an uncaught `value` (an `error` event's error, or a
 * rejection's reason); `fallback` is the event's own message, for events
 * that carry no error; `where` the script position the event names. Null
 * for what is not an error at all (benign).
 */
export function unexpectedError(surfaced: Surfaced, value: unknown, fallback = '', where = ''): UnexpectedError | null {
  const message = value === undefined || value === null ? fallback || `an ${surfaced} without a message` : errorMessage(value);
  if (benign(message)) return null;
  const stack = value instanceof Error && value.stack !== undefined && value.stack !== '' ? value.stack : null;
  const lines = [`Offbrowse: unexpected ${surfaced}`, message];
  if (where !== '') lines.push(`at ${where}`);
  if (stack !== null) lines.push('', stack);
  return { message, details: lines.join('\n') };
}
