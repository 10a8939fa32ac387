import { getDomain } from 'tldts';
import { detach } from '../util/strings';

/**
 * Domain keys (docs/detection.md "Domain keys"): a text-share entry when the hostname is one or a
 * subdomain of one, else the registered domain (tldts defaults), else the
 * hostname itself (IP literals, single labels).
 */
export class DomainKeys {
  private readonly textShare: Set<string>;
  private readonly memo = new Map<string, string>();

  constructor(textShareSites: readonly string[]) {
    this.textShare = new Set(textShareSites.map((s) => s.trim().toLowerCase()).filter((s) => s !== ''));
  }

  isTextShare(domainKey: string): boolean {
    return this.textShare.has(domainKey);
  }

  key(hostname: string): string {
    let key = this.memo.get(hostname);
    if (key === undefined) {
      key = detach(this.compute(hostname));
      if (this.memo.size >= 100_000) this.memo.clear();
      this.memo.set(detach(hostname), key);
    }
    return key;
  }

  private compute(hostname: string): string {
    // The longest (most specific) listed suffix wins: walk from the full name outwards.
    let name = hostname;
    for (;;) {
      if (this.textShare.has(name)) return name;
      const dot = name.indexOf('.');
      if (dot === -1) break;
      name = name.slice(dot + 1);
    }
    return getDomain(hostname) ?? hostname;
  }
}
