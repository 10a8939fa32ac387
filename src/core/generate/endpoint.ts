import type { Entry, Host, UrlEntry } from './entries';
import { type Ambient, type Program, imagePath, isProgram, programOf } from './programs';
import { hashString, hexOf, mix, Random } from './random';
import { destination } from './render';

/**
 * The endpoint view of the generated organisation: which Windows desktops
 * log their programs (Sysmon, or Defender for Endpoint; the rest nothing,
 * as in real networks), and, from a day's URL entries, what those logs say:
 * process starts, name lookups and connections. Every connection is one of
 * the day's URL rows, with the same four address and port values and a time
 * a little before it on the host's own clock, so stitching always has its
 * firewall row; the format writers (sysmon.ts, defender.ts) only render these.
 */

export type Coverage = 'sysmon' | 'defender';

export interface Endpoint {
  host: Host;
  coverage: Coverage;
  /** The computer's FQDN, as Sysmon's `Computer` holds it. */
  computer: string;
  /** The user's name without its domain (`alice.b`). */
  userName: string;
  /** The first group of the host's Sysmon process GUIDs. */
  machine: string;
  /** The host's clock minus the firewall's, ms: a few seconds either way. */
  skew: number;
}

/** Shares of the Windows desktops with Sysmon and with Defender; the rest have no endpoint logs. */
const SYSMON_SHARE = 0.2;
const DEFENDER_SHARE = 0.15;
const MAX_SKEW_MS = 2_500;
export const DOMAIN = 'corp.example.com';

/**
 * The hosts with endpoint logs. Hosts of the scripted scenarios (`scripted`)
 * have none, so their alerts stay the User-Agent's; the implant's host has
 * Sysmon, which is what its scenario is about.
 */
export function endpoints(
  seed: number,
  hosts: readonly Host[],
  scripted: ReadonlySet<number>,
  implant: Host | null,
): Map<number, Endpoint> {
  const rng = new Random(mix(seed, 0xe4d));
  const eligible = rng.shuffle(hosts.filter((h) => h.os === 'windows' && !h.server && !scripted.has(h.index)));
  const sysmon = Math.round(eligible.length * SYSMON_SHARE);
  const defender = Math.round(eligible.length * DEFENDER_SHARE);
  const out = new Map<number, Endpoint>();
  const add = (host: Host, coverage: Coverage): void => {
    out.set(host.index, {
      host,
      coverage,
      computer: `WKS-${String(host.index + 1).padStart(5, '0')}.${DOMAIN}`,
      userName: host.user.slice(host.user.indexOf('\\') + 1),
      machine: hexOf(`machine:${seed}:${host.index}`, 8).toUpperCase(),
      skew: rng.range(-MAX_SKEW_MS, MAX_SKEW_MS),
    });
  };
  eligible.slice(0, sysmon + defender).forEach((h, i) => add(h, i < sysmon ? 'sysmon' : 'defender'));
  if (implant !== null) add(implant, 'sysmon');
  return out;
}

/** One process as the endpoint knows it. */
export interface Proc {
  image: string;
  commandLine: string;
  account: Program['account'];
  /** Its program, for version information; null for one known only as a parent. */
  program: Program | null;
  pid: number;
  guid: string;
  /** UTC ms on the host's clock. */
  start: number;
  parent: Proc | null;
  /** For a process known only as a parent: its own parent's file name. */
  parentName: string;
}

export type EndpointEvent =
  | { kind: 'start'; time: number; ep: Endpoint; proc: Proc }
  | { kind: 'lookup'; time: number; ep: Endpoint; proc: Proc; query: string; results: string }
  | {
      kind: 'connection';
      time: number;
      ep: Endpoint;
      proc: Proc;
      entry: UrlEntry;
      remote: string;
      /** A reverse (PTR) lookup of the remote address, never the site; '' for none. */
      reverse: string;
      /** The site as Defender names it (RemoteUrl); sometimes unknown. */
      remoteUrl: string;
    };

/** A resolver caches an answer this long, so a program looks a name up again only after it. */
const DNS_TTL_MS = 300_000;

/** One host's processes over one day. */
class HostDay {
  private readonly procs = new Map<string, Proc>();
  private readonly lookedUp = new Map<string, number>();

  constructor(
    readonly ep: Endpoint,
    readonly rng: Random,
    private readonly dayStart: number,
  ) {}

  private guid(startMs: number): string {
    const s = Math.floor(startMs / 1000) >>> 0;
    const hex4 = (n: number): string => (n & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    return `{${this.ep.machine}-${hex4(s)}-${hex4(s >>> 16)}-${hex4(this.rng.int(0x10000))}-${hex4(this.rng.int(0x10000))}00000000}`;
  }

  private pid(): number {
    return 4 * this.rng.range(100, 6_000);
  }

  /** A process that started before the day's data: seen only as a parent. */
  private ambient(a: Ambient): Proc {
    let p = this.procs.get(a.id);
    if (p === undefined) {
      const start = this.dayStart - this.rng.range(600_000, 20 * 3_600_000);
      p = {
        image: a.image,
        commandLine: a.commandLine,
        account: a.account,
        program: null,
        pid: this.pid(),
        guid: this.guid(start),
        start,
        parent: null,
        parentName: a.parentName,
      };
      this.procs.set(a.id, p);
    }
    return p;
  }

  /** The process of `program` for `key`, started (its start logged, and its parent's if that is a program) at `at` when new. */
  process(program: Program | Ambient, key: string, url: string, at: number, out: EndpointEvent[]): Proc {
    if (!isProgram(program)) return this.ambient(program);
    const known = this.procs.get(key);
    if (known !== undefined) return known;
    const parent = this.process(program.parent, `${key}^`, url, at - this.rng.range(200, 1_500), out);
    const image = imagePath(program.image, this.ep.userName);
    const proc: Proc = {
      image,
      commandLine: imagePath(program.commandLine({ url, rng: this.rng }), this.ep.userName),
      account: program.account,
      program,
      pid: this.pid(),
      guid: this.guid(at),
      start: at,
      parent,
      parentName: '',
    };
    this.procs.set(key, proc);
    out.push({ kind: 'start', time: at, ep: this.ep, proc });
    return proc;
  }

  /** Whether `proc` must look `name` up before connecting at `time` (nothing cached). */
  needsLookup(proc: Proc, name: string, time: number): boolean {
    const key = `${proc.guid} ${name}`;
    const last = this.lookedUp.get(key);
    if (last !== undefined && time - last < DNS_TTL_MS) return false;
    this.lookedUp.set(key, time);
    return true;
  }

  /** When a new process for a connection at `time` starts: a lasting one minutes before, a tool's run moments before. */
  startFor(program: Program, time: number): number {
    const lead = program.lasting ? this.rng.range(20_000, 900_000) : this.rng.range(300, 4_000);
    return time - Math.min(lead, Math.max(2_000, time - this.dayStart));
  }
}

function hostOf(url: string): string {
  const slash = url.indexOf('/');
  return slash === -1 ? url : url.slice(0, slash);
}

/** Answers as Sysmon 22 writes them: CNAMEs as `type:  5 NAME;`, addresses as `::ffff:A.B.C.D;`. */
function queryResults(name: string, address: string): string {
  const h = hashString(name);
  const cname = h % 4 === 0 ? `${name}.edgekey.net` : h % 4 === 1 ? `${name}.cdn.cloudflare.net` : '';
  return `${cname === '' ? '' : `type:  5 ${cname};`}::ffff:${address};`;
}

/** What a PTR lookup of a generated address gives: a provider's name for it, or none. */
function reverseName(address: string): string {
  const [a, b, c, d] = address.split('.');
  const dashed = `${a}-${b}-${c}-${d}`;
  switch (a) {
    case '18':
    case '34':
    case '52':
    case '54':
      return `ec2-${dashed}.compute-1.amazonaws.com`;
    case '13':
      return `server-${dashed}.fra56.r.cloudfront.net`;
    case '23':
      return `a${d}-${c}-${b}-${a}.deploy.static.akamaitechnologies.com`;
    case '142':
      return `fra24s${(hashString(address) % 40) + 1}-in-f${d}.1e100.net`;
    case '185':
      return `static.${d}.${c}.${b}.${a}.clients.your-server.de`;
    default:
      return '';
  }
}

/**
 * The endpoint events of the hosts with `coverage` on one day, in time
 * order: for each of their URL entries that a program made, the program's
 * start (once a day for lasting ones, per run for tools), a name lookup
 * when its resolver has no fresh answer, and the connection.
 */
export function endpointDay(
  entries: readonly Entry[],
  eps: ReadonlyMap<number, Endpoint>,
  coverage: Coverage,
  seed: number,
  day: number,
  dayStart: number,
): EndpointEvent[] {
  const out: EndpointEvent[] = [];
  const days = new Map<number, HostDay>();
  for (const e of entries) {
    if (e.kind !== 'url' || e.program === '') continue;
    const ep = eps.get(e.host.index);
    if (ep === undefined || ep.coverage !== coverage) continue;
    const program = programOf(e.program, e.host.browserUa);
    if (program === null) continue;
    let hd = days.get(e.host.index);
    if (hd === undefined) {
      hd = new HostDay(ep, new Random(mix(seed, 0xe9d, day, e.host.index)), dayStart);
      days.set(e.host.index, hd);
    }
    const rng = hd.rng;
    // The connection comes a moment before the request the firewall logs, on the host's own clock.
    const time = e.time - rng.range(40, 900) + ep.skew;
    const key = program.lasting ? e.program : `${e.program}#${e.run}`;
    const url = `${e.port === 80 ? 'http' : 'https'}://${e.url}`;
    const proc = hd.process(program, key, url, hd.startFor(program, time), out);
    const name = hostOf(e.url);
    const remote = destination(e.url);
    if (hd.needsLookup(proc, name, time)) {
      out.push({ kind: 'lookup', time: time - rng.range(5, 120), ep, proc, query: name, results: queryResults(name, remote) });
    }
    out.push({
      kind: 'connection',
      time,
      ep,
      proc,
      entry: e,
      remote,
      reverse: reverseName(remote),
      remoteUrl: rng.chance(0.8) ? name : '',
    });
  }
  // Stable: a start made for a connection stays before it at equal times.
  return out.sort((a, b) => a.time - b.time);
}
