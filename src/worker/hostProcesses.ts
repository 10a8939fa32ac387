import type { ProcessInfo } from '../core/events/endpoint';
import type { HostProcess } from './api';

/** Process images listed at most (a host runs far fewer programs that reach websites); past this they are counted. */
const HOST_PROCESSES = 200;
/** Domains named per image; the rest are counted. */
const HOST_PROCESS_DOMAINS = 20;
/** Distinct domains counted per image: the pairs' own bound (hostView.ts HOST_PAIRS), so memory stays bounded. */
const DOMAINS_HELD = 500;

interface Held {
  image: string;
  computers: Set<string>;
  events: number;
  domains: Map<string, number>;
  /** A domain went uncounted: DOMAINS_HELD were held already. */
  cut: boolean;
  first: number;
  last: number;
}

/**
 * A host's processes from its events that carry one (stitched to endpoint
 * data, or taken from it), one entry per image. Windows paths are not case
 * sensitive, so `C:\Windows\…\PowerShell.exe` and `c:\windows\…\powershell.exe`
 * are one program; the first spelling seen is shown.
 */
export class HostProcesses {
  private readonly held = new Map<string, Held>();
  /** Events of images past the HOST_PROCESSES first ones. */
  otherEvents = 0;

  add(process: ProcessInfo | null, domain: string, time: number): void {
    if (process === null) return;
    const key = process.image.toLowerCase();
    let h = this.held.get(key);
    if (h === undefined) {
      if (this.held.size >= HOST_PROCESSES) {
        this.otherEvents++;
        return;
      }
      h = { image: process.image, computers: new Set(), events: 0, domains: new Map(), cut: false, first: time, last: time };
      this.held.set(key, h);
    }
    h.events++;
    if (process.computer !== '') h.computers.add(process.computer);
    const n = h.domains.get(domain);
    if (n !== undefined) h.domains.set(domain, n + 1);
    else if (h.domains.size < DOMAINS_HELD) h.domains.set(domain, 1);
    else h.cut = true;
    if (time < h.first) h.first = time;
    if (time > h.last) h.last = time;
  }

  /** First seen first; the domains with most events first. */
  list(): HostProcess[] {
    return [...this.held.values()]
      .map((h) => {
        const domains = [...h.domains].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([d]) => d);
        return {
          image: h.image,
          computers: [...h.computers].sort(),
          events: h.events,
          domains: domains.slice(0, HOST_PROCESS_DOMAINS),
          otherDomains: Math.max(0, domains.length - HOST_PROCESS_DOMAINS),
          domainsCut: h.cut,
          first: h.first,
          last: h.last,
        };
      })
      .sort((a, b) => a.first - b.first || b.events - a.events);
  }
}

/** Hosts whose processes are kept at most; past this a host's processes are not listed, and the view says so. */
const BOOK_HOSTS = 50_000;

/**
 * Every host's processes, collected in the analysis's own pass over the
 * events (after the joins, so stitched events carry their process): the host
 * view lists them from here. The tab stitches at every detection and keeps its
 * URL events unstitched, so the stored events alone would name no process;
 * taken from the analysis, the list is the same after a run as after a
 * reload, which analyses the stored history again.
 */
export class ProcessBook {
  private readonly hosts = new Map<string, HostProcesses>();
  /** Hosts with processes past BOOK_HOSTS, whose processes are not kept. */
  private readonly past = new Set<string>();

  add(e: { host: string; domain: string; time: number; process: ProcessInfo | null }): void {
    if (e.process === null) return;
    let h = this.hosts.get(e.host);
    if (h === undefined) {
      if (this.hosts.size >= BOOK_HOSTS) {
        // Only the names are held past the budget: enough for the view to say the list was not kept.
        if (this.past.size < BOOK_HOSTS) this.past.add(e.host);
        return;
      }
      h = new HostProcesses();
      this.hosts.set(e.host, h);
    }
    h.add(e.process, e.domain, e.time);
  }

  /** The host's processes over the whole history, and its events of processes past those listed; null when not kept. */
  of(host: string): { processes: HostProcess[]; otherEvents: number } | null {
    const h = this.hosts.get(host);
    if (h === undefined) return this.past.has(host) ? null : { processes: [], otherEvents: 0 };
    return { processes: h.list(), otherEvents: h.otherEvents };
  }
}
