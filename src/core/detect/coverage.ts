import { classifyFlags } from '../classify/classify';
import type { CompactEvent } from '../events/columns';
import type { Counts } from '../sources/counts';

/** What a stored baseline covers, for the baseline panel. */
export interface Coverage {
  files: number;
  /** Non-browser events kept. */
  events: number;
  /** UTC days with at least one event of any kind. */
  days: number;
  firstEvent: number | null;
  lastEvent: number | null;
  /** Distinct hosts, clients and domain keys in the baseline (non-browser events only). */
  hosts: number;
  clients: number;
  domains: number;
  /** Baseline rows: (client, domain, upload, host). */
  keys: number;
}

/**
 * Counts what the baseline covers while the events stream past (the one
 * definition of coverage: the tab saves it with the alerts of the same pass).
 * Memory follows the distinct keys, as the detector's does.
 */
export class CoverageCounter {
  private readonly hosts = new Set<string>();
  private readonly domains = new Set<string>();
  /** client → domain → [hosts with the access key, hosts with the upload key]. */
  private readonly keys = new Map<string, Map<string, [Set<string>, Set<string>]>>();
  private events = 0;

  constructor(private readonly uploadMinBytes: number) {}

  add(e: CompactEvent): void {
    this.events++;
    this.hosts.add(e.host);
    this.domains.add(e.domain);
    let byDomain = this.keys.get(e.client);
    if (byDomain === undefined) this.keys.set(e.client, (byDomain = new Map()));
    let hosts = byDomain.get(e.domain);
    if (hosts === undefined) byDomain.set(e.domain, (hosts = [new Set(), new Set()]));
    hosts[0].add(e.host);
    if (classifyFlags(e.flags, e.bytesOut, this.uploadMinBytes).upload) hosts[1].add(e.host);
  }

  coverage(files: number, counts: Counts): Coverage {
    let keys = 0;
    for (const byDomain of this.keys.values())
      for (const [access, upload] of byDomain.values()) keys += access.size + upload.size;
    return {
      files,
      events: this.events,
      days: Object.keys(counts.perDay).length,
      firstEvent: counts.minTime,
      lastEvent: counts.maxTime,
      hosts: this.hosts.size,
      clients: this.keys.size,
      domains: this.domains.size,
      keys,
    };
  }
}
