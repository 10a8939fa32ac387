/**
 * The text of anything thrown: an Error's message, else the value itself as
 * text (a rejected promise or a library may throw a string or an object).
 * Every layer words its own message around it.
 */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
