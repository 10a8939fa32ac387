/**
 * Fields cut from a parsed chunk are views into that chunk's text in V8, so
 * keeping one keeps the whole chunk alive. Everything kept past the chunk goes
 * through here: copied once, and repeated values shared.
 */

/** A copy of `s` that does not hold on to the text it was cut from. */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export class Interner {
  private readonly table = new Map<string, string>();

  constructor(private readonly limit = 200_000) {}

  get(s: string): string {
    let own = this.table.get(s);
    if (own === undefined) {
      own = detach(s);
      if (this.table.size >= this.limit) this.table.clear();
      this.table.set(own, own);
    }
    return own;
  }
}
