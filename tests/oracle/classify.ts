import { getDomain } from 'tldts';
import type { WebEvent } from '../../src/core/events/event';
import type { Settings } from '../../src/core/settings/settings';
import type { VariationId } from '../../src/core/settings/variations';

/*
 * The oracle's own classification of a full event, written straight from
 * docs/detection.md ("Clients", "Domain keys", "Text share", "Upload",
 * "Website UI", "Variation of an event") and sharing no code with the
 * product's (src/core/classify), so a property test comparing the two can
 * catch a bug in either. Shared: the Public Suffix List, through tldts
 * (getDomain with its default options), which the contract names; and the
 * product's types.
 */

export interface OracleClient {
  kind: 'browser' | 'non-browser' | 'unknown';
  /** Lower case; empty unless non-browser. */
  key: string;
}

const BROWSER_MARKS = ['Chrome/', 'Firefox/', 'Safari/', 'Edg/', 'OPR/', 'Trident/', 'MSIE '];

/** "Clients": the image's file name when there is one, else the User-Agent's rules 1 to 5, first match wins. */
export function clientOf(
  e: Pick<WebEvent, 'userAgent' | 'image'>,
  settings: Pick<Settings, 'browserProcesses' | 'appTokens'>,
): OracleClient {
  if (e.image !== '') {
    const name = e.image.split(/[\\/]/).pop()!.trim().toLowerCase();
    const browser = settings.browserProcesses.some((p) => p.toLowerCase() === name);
    return browser ? { kind: 'browser', key: '' } : { kind: 'non-browser', key: name };
  }
  const ua = e.userAgent.trim();
  // Rule 1.
  if (ua === '' || ua === '-') return { kind: 'unknown', key: '' };
  // Rule 2: an app token as a product token (`NAME/` at the start, or after a space or `)`), the first in the string.
  let first: { at: number; key: string } | null = null;
  const lower = ua.toLowerCase();
  for (const token of settings.appTokens) {
    if (token === '') continue;
    const mark = token.toLowerCase() + '/';
    for (let at = lower.indexOf(mark); at !== -1; at = lower.indexOf(mark, at + 1)) {
      if (at === 0 || ua[at - 1] === ' ' || ua[at - 1] === ')') {
        if (first === null || at < first.at) first = { at, key: token.toLowerCase() };
        break;
      }
    }
  }
  if (first !== null) return { kind: 'non-browser', key: first.key };
  if (ua.includes('Electron/')) return { kind: 'non-browser', key: 'electron' };
  // Rule 3.
  if (ua.includes('HeadlessChrome/')) return { kind: 'non-browser', key: 'headlesschrome' };
  if (ua.includes('PhantomJS/')) return { kind: 'non-browser', key: 'phantomjs' };
  // Rule 4.
  if (ua.startsWith('Mozilla/') && BROWSER_MARKS.some((m) => ua.includes(m))) return { kind: 'browser', key: '' };
  // Rule 5: the product name.
  if (!ua.startsWith('Mozilla/')) {
    const name = ua.split('/')[0].split('(')[0];
    return { kind: 'non-browser', key: name.trim().toLowerCase() };
  }
  const withSlash = ua.split(/[ ();]/).filter((p) => p.includes('/'));
  return { kind: 'non-browser', key: withSlash[withSlash.length - 1].split('/')[0].toLowerCase() };
}

/** "Domain keys": the most specific text-share entry the hostname is or is under, else the registered domain, else the hostname. */
export function domainKeyOf(hostname: string, textShareSites: readonly string[]): string {
  const sites = textShareSites.map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const matches = sites.filter((s) => hostname === s || hostname.endsWith('.' + s));
  if (matches.length > 0) return matches.reduce((a, b) => (b.length > a.length ? b : a));
  return getDomain(hostname) ?? hostname;
}

export interface OracleClass {
  upload: boolean;
  variation: VariationId | null;
}

/** "Upload", "Website UI" and "Variation of an event" for a non-browser event whose domain key is known. */
export function classOf(
  e: Pick<WebEvent, 'method' | 'bytesOut' | 'hostname' | 'path' | 'contentType'>,
  domainKey: string,
  settings: Pick<Settings, 'uploadMinBytes' | 'textShareSites'>,
): OracleClass {
  const upload = ['POST', 'PUT', 'PATCH'].includes(e.method) && (e.bytesOut === null || e.bytesOut >= settings.uploadMinBytes);
  const textShare = settings.textShareSites.some((s) => s.trim().toLowerCase() === domainKey);
  if (textShare) return { upload, variation: upload ? 'text_share_upload' : 'text_share_download' };
  const label = e.hostname.split('.')[0];
  const path = e.path.toLowerCase();
  const apiHost = label === 'api' || label.startsWith('api-');
  const apiPath = path === '/api' || path.startsWith('/api/') || /^\/v\d+\//.test(path);
  const bare = e.contentType.split(';')[0].trim().toLowerCase();
  const notPage = e.contentType !== '' && bare !== 'text/html' && bare !== 'application/xhtml+xml';
  const websiteUi = !apiHost && !apiPath && (upload || !notPage);
  if (!websiteUi) return { upload, variation: null };
  return { upload, variation: upload ? 'website_upload' : 'website_access' };
}
