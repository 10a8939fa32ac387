import type { ProcessInfo } from '../core/events/endpoint';
import type { AlertSummary, EvidenceRow } from '../worker/api';
import type { AlertRow } from './alertQuery';

/**
 * How the page speaks of the process behind an alert or an event, where
 * endpoint data named it (docs/detection.md "Endpoint sources and stitching").
 */

/** An image path's file name, as logged: `C:\Windows\…\powershell.exe` gives `powershell.exe`. */
export function imageFileName(image: string): string {
  return image.slice(Math.max(image.lastIndexOf('\\'), image.lastIndexOf('/')) + 1);
}

/** The browsers a User-Agent most often names, in the order to test them (Edge and Opera also say Chrome). */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\b(?:Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
  [/\bTrident\/.*\brv:(\d+)/, 'Internet Explorer'],
  [/\bMSIE (\d+)/, 'Internet Explorer'],
];

/** The browser and major version a User-Agent claims (`Chrome 120`); null where it names none of the common ones. */
export function claimedBrowser(userAgent: string): string | null {
  for (const [re, name] of BROWSERS) {
    const m = re.exec(userAgent);
    if (m) return `${name} ${m[1]}`;
  }
  return null;
}

/** The program behind an alert: its image's file name where endpoint data named it, else its client key. */
export function programOf(a: Pick<AlertSummary, 'image' | 'client'>): string {
  return a.image === null || a.image === '' ? a.client : imageFileName(a.image);
}

/** The finding, plainly: "sent a browser's User-Agent (Chrome 120): the program is powershell.exe". */
function claimText(program: string, userAgent: string): string {
  const browser = claimedBrowser(userAgent);
  return `sent a browser's User-Agent${browser === null ? '' : ` (${browser})`}: the program is ${program}`;
}

/** `claimText` for an alert; null where no event of it claimed a browser. */
export function alertClaim(a: Pick<AlertSummary, 'image' | 'client' | 'claimedUserAgent'>): string | null {
  return a.claimedUserAgent === null ? null : claimText(programOf(a), a.claimedUserAgent);
}

function known(v: string | null): string {
  return v === null || v === '' ? 'unknown' : v;
}

/** An evidence event's process, as label and value (never "null": an unknown field says so). */
export function processRecord(ev: Pick<EvidenceRow, 'process' | 'uaClaimsBrowser' | 'userAgent'>): [string, string][] {
  const p: ProcessInfo | null = ev.process;
  if (p === null) return [['Process', 'not known (no endpoint data was joined to this event)']];
  return [
    ['Process', p.image === '' ? 'unknown' : imageFileName(p.image)],
    ['Image', known(p.image)],
    ['Computer', known(p.computer)],
    ['PID', p.pid === null ? 'unknown' : String(p.pid)],
    ['Process user', known(p.user)],
    ['Command line', known(p.commandLine)],
    ['Parent image', known(p.parentImage)],
    [
      'User-Agent claims a browser',
      ev.uaClaimsBrowser ? `yes: ${claimText(p.image === '' ? 'unknown' : imageFileName(p.image), ev.userAgent)}` : 'no',
    ],
  ];
}

/** Record labels whose values run long (paths, command lines): they take the record's whole width. */
export const WIDE_RECORD_FIELDS: ReadonlySet<string> = new Set([
  'Image',
  'Command line',
  'Parent image',
  'User-Agent claims a browser',
]);

/** The table's mark on an alert whose User-Agent claimed a browser (the sentence is its hover text). */
export const CLAIM_MARK = 'browser UA';

/** The finding of a row: of its first alert that has it (a group's alerts share client and domain). */
export function rowClaim(row: AlertRow): string | null {
  const m = row.members.find((x) => x.claimedUserAgent !== null);
  const claim = m === undefined ? null : alertClaim(m);
  return claim === null ? null : capitalised(claim);
}

/** The client cell's hover text: the key, and the image path where endpoint data named the process. */
export function clientTitle(row: AlertRow): string {
  const a = row.lead;
  const claim = rowClaim(row);
  return [a.image === null ? a.client : `${a.client}: process image ${a.image}`, claim].filter((s) => s !== null).join('. ');
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
