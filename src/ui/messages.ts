import { DEFAULT_SETTINGS, type Settings } from '../core/settings/settings';
import type { TriageStatus } from '../core/alerts/triage';
import type { DemoForm, Duplicate, Notice, NotSaved, Refusal, StorageStatus } from '../worker/api';
import { bytes, plural } from './displayFormat';

/**
 * The page's sentences about what happened: the worker answers in data
 * (refusals, notices, storage status), and they are worded here, once.
 * Reasons from lower layers (a storage problem, what is wrong with a file)
 * are their own clauses and are quoted as they are.
 */

/** The demo's forms as buttons and messages name them. */
export const DEMO_NAMES: Readonly<Record<DemoForm, string>> = {
  panos: 'PAN-OS demo',
  zeek: 'Zeek sensor demo',
  'zeek-json': 'Zeek JSON sensor demo',
  suricata: 'Suricata sensor demo',
};

/** The first three names, and how many more: `a, b, c and 4 more`. */
export function someNames(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${plural(names.length - 3, 'more', 'more')}`;
}

/** One file by its name, several by their number. */
function filesNamed(names: readonly string[]): string {
  return names.length === 1 ? names[0] : plural(names.length, 'file');
}

/** Why a run changed nothing, in words. */
export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'files-gone':
      return 'That file is no longer in the history (another tab may have changed it). Nothing was changed.';
    case 'files-not-removed':
      return `${filesNamed(r.names)} ${r.names.length === 1 ? 'was' : 'were'} not removed: ${r.reason}. Nothing was changed.`;
    case 'files-not-held': {
      const one = r.names.length === 1;
      return (
        `The lists and the time zone are used while reading, so every file must be read again, but ${plural(r.names.length, 'file')} ` +
        `(${someNames(r.names)}) ${one ? 'was' : 'were'} added on an earlier visit and ${one ? 'is' : 'are'} not open in this tab. ` +
        'Drop them again (they are recognised and add nothing), then apply the settings; or reset the baseline and add the files again. Nothing was changed.'
      );
    }
    case 'history-changed':
      return 'The settings were not applied: another tab changed the stored history meanwhile, and this tab has caught up with it. Apply them again. Nothing was changed.';
    case 'settings-not-applied':
      return `The settings were not applied: ${r.reason}. Nothing was changed.`;
    case 'file-not-read-again':
      return `${r.name} could not be read again: ${r.reason}. Nothing was changed.`;
    case 'state-not-imported':
      return `${r.file} was not imported: ${r.reason}. ${r.cause === 'file' ? 'Nothing was changed.' : 'The stored history is unchanged.'}`;
    case 'alerts-not-imported':
      return `${r.file} was not imported: ${r.reason}. Nothing was changed.`;
    case 'not-deleted':
      return `Nothing was deleted: ${r.reason}.`;
  }
}

/** A drop that could not be saved: it is saved whole or not at all. */
export function notSavedText(n: NotSaved): string {
  const size = n.bytes === null ? '' : ` (${bytes(n.bytes)} as logs)`;
  if (n.names.length === 1)
    return `${n.names[0]}${size} was not saved, so it was not added: ${n.reason}. The stored history is as it was.`;
  return `The ${n.names.length} files of this drop (${someNames(n.names)}${n.bytes === null ? '' : `; ${bytes(n.bytes)} as logs`}) were not saved, so none of them was added: ${n.reason}. The stored history is as it was.`;
}

export function noticeText(n: Notice): string {
  switch (n.kind) {
    case 'alerts-not-saved':
      return (
        `The alerts and settings could not be saved: ${n.reason}. The alerts are worked out again ` +
        'from the saved files on the next visit; the settings may be the earlier ones.'
      );
    case 'imported-alerts':
      return (
        `Showing ${plural(n.count, 'alert')} imported from ${n.file}, detected elsewhere under the settings they carry. ` +
        'The stored history is unchanged and its own alerts are not shown meanwhile; adding files, applying settings, ' +
        'importing a state or resetting goes back to them. Triage is saved; after a reload, import the file again to see these alerts.'
      );
    case 'settings-not-used':
      return `The saved settings were not used, so the defaults apply: ${n.reason}. Set them again in Settings.`;
  }
}

/** Why the history is kept in memory only; null when it is stored. */
export function memoryOnlyReason(s: StorageStatus): string | null {
  if (s.mode === 'indexeddb') return null;
  switch (s.cause) {
    case 'separate-session':
      return 'this is a separate demo session: it keeps nothing, and leaves the stored history as it is';
    case 'no-database':
      return s.reason;
    case 'unreadable':
      return `the stored history could not be read: ${s.reason}`;
  }
}

/** Files of a drop whose content was already added; null when none. */
export function duplicatesText(duplicates: readonly Duplicate[]): string | null {
  if (duplicates.length === 0) return null;
  const list = duplicates.map((d) => (d.name === d.of ? d.name : `${d.name} (same content as ${d.of})`));
  return `Already in the baseline, so nothing was added from: ${someNames(list)}.`;
}

/** Files dropped again in this tab, not read twice. */
export function alreadyLoadedText(names: readonly string[]): string {
  return `Already loaded, not read again: ${someNames(names)}.`;
}

/** A count and its verb in the past: `1 file was`, `3 files were`. */
export function countWas(n: number, one: string, many = one + 's'): string {
  return `${plural(n, one, many)} ${n === 1 ? 'was' : 'were'}`;
}

/** PAN-OS files read in the time zone of the settings, as the summary says it (the zone follows). */
export function zonelessText(files: number): string {
  return `PAN-OS writes its log times without a time zone: ${countWas(files, 'file')} read as`;
}

/** The settings as the banner names them, and the unit of each number (singular, plural). */
const SETTING_NAMES: Partial<Record<keyof Settings, string>> = {
  trainingDays: 'training window',
  activationDays: 'activation',
  dedupHours: 'deduplication',
  rareHosts: 'rare below',
  uploadMinBytes: 'smallest upload',
  trafficJoinMinutes: 'TRAFFIC join',
  stitchSeconds: 'stitching window',
  timeZone: 'time zone',
  textShareSites: 'text-share sites',
  browserProcesses: 'browser processes',
  appTokens: 'app tokens',
};
const SETTING_UNITS: Partial<Record<keyof Settings, string>> = {
  trainingDays: 'day',
  activationDays: 'day',
  dedupHours: 'hour',
  rareHosts: 'host',
  uploadMinBytes: 'byte',
  trafficJoinMinutes: 'minute',
  stitchSeconds: 'second',
};

/** How one setting differs from its default, for the settings banner: `rare below 1 host (default 3)`. */
export function settingChangeText(key: keyof Settings, settings: Settings): string {
  if (key === 'suppress') return plural(settings.suppress.length, 'suppression');
  const now = settings[key];
  const was = DEFAULT_SETTINGS[key];
  if (Array.isArray(now) && Array.isArray(was))
    return `${SETTING_NAMES[key]} edited (${plural(now.length, 'entry', 'entries')}, default ${was.length})`;
  const unit = SETTING_UNITS[key];
  return `${SETTING_NAMES[key]} ${typeof now === 'number' && unit ? plural(now, unit) : String(now)} (default ${String(was)})`;
}

/** Files of a run that added nothing, or less than asked, in words; null when all went in. */
export function readProblemText(notRead: number, repeats: number): string | null {
  const parts: string[] = [];
  // The reasons are in the ingest summary, which comes after the run's status line.
  if (notRead > 0)
    parts.push(
      notRead === 1
        ? '1 file was not read (the reason is below)'
        : `${plural(notRead, 'file')} were not read (the reasons are below)`,
    );
  if (repeats > 0) parts.push(`${repeats === 1 ? '1 file is' : `${plural(repeats, 'file')} are`} already in the baseline`);
  return parts.length === 0 ? null : parts.join('; ');
}

/** What a run was asked to do, for the words of its status line. */
export type RunAsked =
  | { kind: 'files'; names: readonly string[] }
  | { kind: 'demo'; form: DemoForm }
  | { kind: 'remove'; names: readonly string[] }
  | { kind: 'remove-demo' }
  | { kind: 'settings'; reread: boolean }
  | { kind: 'import'; file: string }
  | { kind: 'import-alerts'; file: string }
  | { kind: 'reset' };

/** What a run did, as the status line says it ("Up to date: read 3 files in 2 s"). */
export function runWhat(a: RunAsked): string {
  switch (a.kind) {
    case 'files':
      return a.names.length === 0 ? 'found nothing new to read' : `read ${filesNamed(a.names)}`;
    case 'demo':
      return `loaded the ${DEMO_NAMES[a.form]}`;
    case 'remove':
      return `removed ${filesNamed(a.names)}`;
    case 'remove-demo':
      return 'removed the demo data';
    case 'settings':
      return a.reread ? 'applied the settings and read everything again' : 'applied the settings';
    case 'import':
      return `imported ${a.file}`;
    case 'import-alerts':
      return `imported the alerts of ${a.file}`;
    case 'reset':
      return 'deleted the stored history';
  }
}

/** A drop of which only some files were added. */
export function partlyReadWhat(added: number, asked: number): string {
  return `read ${added} of ${plural(asked, 'file')}`;
}

/** A run that added nothing: `problem` says why (readProblemText). */
export function nothingAddedWhat(problem: string | null): string {
  return `nothing was added: ${problem ?? 'no file held anything to add'}`;
}

export const DEMO_ALREADY_STORED = 'The demo data is already in the stored baseline.';

export const ALERT_GONE = 'This alert is no longer in the current results.';

export const RESULTS_CHANGED = 'the results changed while the export was made; try again';

export function linkedAlertMissing(id: string): string {
  return `The alert this link names is not among these results: ${id}.`;
}

export function bulkTriageText(alerts: number, status: TriageStatus, withNote: boolean): string {
  return `Set ${plural(alerts, 'alert')} to ${status}${withNote ? ' and added the note' : ''}.`;
}

export function bulkTriageFailed(reason: string): string {
  return `Bulk triage not saved: ${reason}`;
}

export function triageNotSaved(reason: string): string {
  return `Not saved: ${reason}`;
}

export function exportFailed(reason: string): string {
  return `Export failed: ${reason}`;
}
