/**
 * The text of anything thrown: an Error's message, else the value itself as
 * text (a rejected promise or a library may throw a string or an object).
 * Every layer words its own message around it.
 */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Why JSON.parse refused a text, without the text: the engine's message
 * quotes the input ("Unexpected token 'j', "j\t\n…""), which may be binary
 * bytes or terminal escapes. Keeps only where it went wrong.
 */
export function jsonErrorWords(e: unknown): string {
  const text = errorMessage(e);
  if (/unexpected end of json input/i.test(text)) return 'not valid JSON: it ends early (cut short?)';
  const at = /at position (\d+)/.exec(text);
  return at === null ? 'not valid JSON' : `not valid JSON (at character ${Number(at[1]) + 1})`;
}
