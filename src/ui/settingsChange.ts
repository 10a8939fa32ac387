import type { Settings } from '../core/settings/settings';

/** Settings that decide how rows are classified while reading; changing them means reading again. */
export function needsReread(a: Settings, b: Settings): boolean {
  const same = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.timeZone !== b.timeZone ||
    !same(a.textShareSites, b.textShareSites) ||
    !same(a.browserProcesses, b.browserProcesses) ||
    !same(a.appTokens, b.appTokens)
  );
}
