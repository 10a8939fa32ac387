/** The author last given to a suppression in this browser, offered again next time (free text; nothing checks it). */
const KEY = 'offbrowse.suppression-author';

export function rememberedAuthor(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberAuthor(author: string): void {
  try {
    localStorage.setItem(KEY, author);
  } catch {
    // Storage refused (private mode, quota): the name is asked again next time.
  }
}

/** Today as the suppression list records it: the UTC date, YYYY-MM-DD, as every date on the page. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
