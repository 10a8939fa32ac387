/**
 * Fields cut from a parsed chunk are views into that chunk's text in V8, so
 * keeping one keeps the whole chunk alive. Everything kept past the chunk is
 * copied once through here.
 */

/** Whether the ASCII byte or code `c` is what String.prototype.trim() removes (readers of bytes trim as the text's readers do). */
export function isTrimmedSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A copy of `s` that does not hold on to the text it was cut from. */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * Text from a log (or a file name) made safe to print on a terminal: every
 * character that a terminal acts on instead of showing, or that reorders what
 * is shown, becomes a visible escape. C0 controls (tab and line feed too: the
 * CLI prints one record a line), DEL, C1 controls (U+0080–U+009F, which some
 * terminals read as ESC sequences), and the bidirectional marks, embeddings,
 * overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069), which can make a line read as something it is not. A
 * backslash is left as it is: the escapes are for a person to read, not to be
 * decoded. JSON output does not go through here: JSON is data, and its own
 * escaping already covers the control characters.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function terminalText(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}
