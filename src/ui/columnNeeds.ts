import type { AlertRow } from './alertQuery';
import type { ColumnNeeds } from './alertColumns';
import { CLAIM_MARK, rowClaim } from './processText';
import { cellText, nameText } from './rowText';

/** A cell's padding left and right (px), as AlertTable's `.row > div` sets it, plus a pixel to spare. */
const PAD = 21;
/** The claim mark's padding, border and gap to the name (px), as AlertTable's `.claim` sets them. */
const MARK_PAD = 14;
/** How many of the longest texts of a proportional font are measured: the widest is among them. */
const MEASURED = 24;

const TEXT: { key: 'name' | 'host' | 'user' | 'client' | 'domain'; mono: boolean; of: (r: AlertRow) => string }[] = [
  { key: 'name', mono: false, of: nameText },
  { key: 'host', mono: true, of: (r) => cellText(r, 'host') },
  { key: 'user', mono: false, of: (r) => cellText(r, 'user') },
  { key: 'client', mono: true, of: (r) => r.lead.client },
  { key: 'domain', mono: true, of: (r) => r.lead.domain },
];

/**
 * The texts worth measuring: in a monospace font the longest alone; else up to
 * MEASURED of those near the greatest length (one pass, no sort, for large tables).
 */
function longest(texts: readonly string[], mono: boolean): string[] {
  let most = '';
  for (const t of texts) if (t.length > most.length) most = t;
  if (mono) return [most];
  const out = new Set<string>([most]);
  for (const t of texts) {
    if (out.size >= MEASURED) break;
    if (t.length >= most.length * 0.8) out.add(t);
  }
  return [...out];
}

let canvas: HTMLCanvasElement | null = null;

/**
 * How wide (px) the widest text of each flexible column is, in the fonts the
 * table draws with (`table`'s; mono cells at 12.5px, the rest at 13px).
 */
export function columnNeeds(rows: readonly AlertRow[], table: HTMLElement): ColumnNeeds {
  canvas ??= document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (ctx === null || rows.length === 0) return {};
  const style = getComputedStyle(table);
  const mono = style.getPropertyValue('--mono').trim() || 'monospace';
  const out: ColumnNeeds = {};
  for (const col of TEXT) {
    const texts = longest(rows.map(col.of), col.mono);
    ctx.font = col.mono ? `12.5px ${mono}` : `13px ${style.fontFamily}`;
    out[col.key] = Math.max(...texts.map((t) => ctx.measureText(t).width)) + PAD;
  }
  // A client cell with the "browser UA" mark before its name needs the mark's width too.
  const marked = rows.filter((r) => rowClaim(r) !== null);
  if (marked.length > 0) {
    ctx.font = `12.5px ${mono}`;
    const name = Math.max(
      ...longest(
        marked.map((r) => r.lead.client),
        true,
      ).map((t) => ctx.measureText(t).width),
    );
    ctx.font = `600 10.5px ${style.getPropertyValue('--font').trim() || style.fontFamily}`;
    const need = name + ctx.measureText(CLAIM_MARK).width + MARK_PAD + PAD;
    out.client = Math.max(out.client ?? 0, need);
  }
  return out;
}
