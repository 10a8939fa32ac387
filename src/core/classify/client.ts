import type { ClientKind } from '../events/event';
import type { Settings } from '../settings/settings';
import { detach } from '../util/strings';

export interface ClientInfo {
  kind: ClientKind;
  /** Lower case; empty unless the kind is `non-browser`. */
  key: string;
}

const UNKNOWN: ClientInfo = Object.freeze({ kind: 'unknown', key: '' });
const BROWSER: ClientInfo = Object.freeze({ kind: 'browser', key: '' });
const BROWSER_TOKENS = ['Chrome/', 'Firefox/', 'Safari/', 'Edg/', 'OPR/', 'Trident/', 'MSIE '];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The key of User-Agent rule 5 (docs/detection.md "Clients"): the product name, versions never counting. */
function productKey(ua: string): string {
  if (!ua.startsWith('Mozilla/')) {
    const slash = ua.indexOf('/');
    let name = slash === -1 ? ua : ua.slice(0, slash);
    const paren = name.indexOf('(');
    if (paren !== -1) name = name.slice(0, paren);
    return name.trim().toLowerCase();
  }
  const pieces = ua.split(/[ ();]/);
  for (let i = pieces.length - 1; i >= 0; i--) {
    const slash = pieces[i].indexOf('/');
    if (slash !== -1) return pieces[i].slice(0, slash).toLowerCase();
  }
  return 'mozilla';
}

/** Image path to its lower-case file name. */
function imageName(image: string): string {
  const cut = Math.max(image.lastIndexOf('/'), image.lastIndexOf('\\'));
  return image
    .slice(cut + 1)
    .trim()
    .toLowerCase();
}

/**
 * Classifies clients by the ordered rules of docs/detection.md "Clients". Built once per
 * settings; user agents repeat heavily, so answers are memoised.
 */
export class ClientClassifier {
  private readonly browserImages: Set<string>;
  private readonly appToken: RegExp | null;
  private readonly memo = new Map<string, ClientInfo>();

  constructor(settings: Pick<Settings, 'browserProcesses' | 'appTokens'>) {
    this.browserImages = new Set(settings.browserProcesses.map((s) => s.toLowerCase()));
    const tokens = settings.appTokens.filter((t) => t !== '').map(escapeRegExp);
    this.appToken = tokens.length ? new RegExp(`(?:^|[ )])(${tokens.join('|')})/`, 'i') : null;
  }

  classify(userAgent: string, image = ''): ClientInfo {
    if (image !== '') {
      const key = imageName(image);
      return this.browserImages.has(key) ? { kind: 'browser', key: '' } : { kind: 'non-browser', key };
    }
    let info = this.memo.get(userAgent);
    if (info === undefined) {
      const found = this.fromUserAgent(userAgent);
      info = found.key === '' ? found : { kind: found.kind, key: detach(found.key) };
      if (this.memo.size >= 50_000) this.memo.clear();
      this.memo.set(detach(userAgent), info);
    }
    return info;
  }

  private fromUserAgent(raw: string): ClientInfo {
    const ua = raw.trim();
    if (ua === '' || ua === '-') return UNKNOWN;
    // exec finds the leftmost match, so the key is the app token that comes first.
    const app = this.appToken?.exec(ua);
    if (app) return { kind: 'non-browser', key: app[1].toLowerCase() };
    if (ua.includes('Electron/')) return { kind: 'non-browser', key: 'electron' };
    if (ua.includes('HeadlessChrome/')) return { kind: 'non-browser', key: 'headlesschrome' };
    if (ua.includes('PhantomJS/')) return { kind: 'non-browser', key: 'phantomjs' };
    if (ua.startsWith('Mozilla/') && BROWSER_TOKENS.some((t) => ua.includes(t))) return BROWSER;
    return { kind: 'non-browser', key: productKey(ua) };
  }
}
