/**
 * The page's localStorage, or null where there is none (a sandboxed frame, a
 * browser that refuses it): what is kept there is a convenience, never data.
 */
export function localStore(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const OVERVIEW_KEY = 'offbrowse.overview-open';

/** Whether the summary and the timeline are shown: folded unless the analyst opened them, so the alerts come first. */
export function overviewOpen(): boolean {
  return localStore()?.getItem(OVERVIEW_KEY) === 'yes';
}

export function rememberOverview(open: boolean): void {
  try {
    localStore()?.setItem(OVERVIEW_KEY, open ? 'yes' : 'no');
  } catch {
    // Storage full or refused: the choice holds for this visit only.
  }
}
