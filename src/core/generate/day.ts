import type { Entry, Host, TrafficEntry, UrlEntry } from './entries';
import { HABIT_BY_ID } from './habits';
import { mix, Random } from './random';
import { destination } from './render';
import { DAY_MS } from './scenarios';
import { browserRequest, undecryptedRequest } from './sites';

/** Share of a desktop's own background events that are undecrypted TLS (no User-Agent). */
const UNDECRYPTED = 0.45;
/** Share of browser and undecrypted URL events that also get a TRAFFIC row. */
const TRAFFIC_SHARE = 0.05;

const VULNERABILITIES: readonly [string, string, string][] = [
  ['Apache Log4j Remote Code Execution Vulnerability(91991)', 'code-execution', 'critical'],
  ['HTTP SQL Injection Attempt(38195)', 'sql-injection', 'high'],
  ['HTTP /etc/passwd Access Attempt(30852)', 'info-leak', 'high'],
  ['SSH2 Login Attempt(31914)', 'brute-force', 'informational'],
];
const SPYWARE: readonly [string, string][] = [
  ['generic:update-flash-player.top(109010001)', 'dns-malware'],
  ['Suspicious DNS Query (generic:cdn-telemetry.xyz)(109001001)', 'dns-c2'],
];

/** A time in the day: desktops mostly in office hours, servers at any time. Whole seconds. */
function secondOfDay(rng: Random, server: boolean): number {
  if (server || rng.chance(0.15)) return rng.int(86_400);
  return 7 * 3600 + rng.int(12 * 3600);
}

function isWeekend(dayStart: number): boolean {
  const d = new Date(dayStart).getUTCDay();
  return d === 0 || d === 6;
}

function trafficFor(rng: Random, e: UrlEntry, sent: number, received: number): TrafficEntry {
  const dayEnd = Math.floor(e.time / DAY_MS) * DAY_MS + DAY_MS - 1000;
  const end = Math.min(e.time + rng.range(1, 45) * 1000, Math.max(e.time, dayEnd));
  return {
    kind: 'traffic',
    time: end,
    start: e.time,
    src: e.host.ip,
    dst: destination(e.url),
    dport: e.port ?? 443,
    protocol: 'tcp',
    app: e.app,
    category: e.category,
    user: e.user,
    bytes: { sent, received },
    of: e,
    session: 0,
  };
}

export interface DayPlan {
  seed: number;
  rate: number;
  /** UTC ms of the day's midnight. */
  dayStart: number;
  day: number;
  hosts: readonly Host[];
  /** This day's scripted URL events. */
  scripted: readonly UrlEntry[];
}

/**
 * All rows of one day, in time order, with session ids set. Rebuilt from the
 * seed on each call: the same plan always gives the same entries.
 */
export function dayEntries(plan: DayPlan): Entry[] {
  const rng = new Random(mix(plan.seed, 0xda7, plan.day));
  const { dayStart, hosts } = plan;
  const weekend = isWeekend(dayStart);
  const out: Entry[] = [];
  let runs = 0;
  const url = (
    host: Host,
    time: number,
    userAgent: string,
    user: string,
    req: ReturnType<typeof browserRequest>,
    program = 'browser',
    run = 0,
  ): UrlEntry => {
    const e: UrlEntry = {
      kind: 'url',
      time,
      host,
      user,
      userAgent,
      session: 0,
      traffic: null,
      referer: '',
      program,
      run,
      sourcePort: 0,
      natPort: 0,
      ...req,
      action: req.action ?? 'alert',
    };
    out.push(e);
    return e;
  };

  for (const host of hosts) {
    const user = (): string => (host.user !== '' && rng.chance(0.04) ? '' : host.user);
    const scale = host.server ? 0.25 : weekend ? 0.12 : 1;
    const n = Math.round(plan.rate * scale * (0.6 + 0.8 * rng.next()));
    for (let i = 0; i < n; i++) {
      const time = dayStart + secondOfDay(rng, host.server) * 1000;
      const browsing = !host.server && !rng.chance(UNDECRYPTED);
      const e = browsing
        ? url(host, time, host.browserUa, user(), browserRequest(rng))
        : url(host, time, '', user(), undecryptedRequest(rng));
      if (rng.chance(TRAFFIC_SHARE)) out.push(trafficFor(rng, e, rng.range(400, 90_000), rng.range(2_000, 4_000_000)));
    }
    // Every habit runs at least once a weekday, on servers every day (see habits.ts for why).
    const habits = host.server || !weekend ? host.habits : [];
    for (const { id, userAgent } of habits) {
      const habit = HABIT_BY_ID.get(id);
      if (habit === undefined) continue;
      const times = rng.chance(0.1) ? 2 : 1;
      for (let r = 0; r < times; r++) {
        const requests = habit.visit(rng);
        const start = Math.min(secondOfDay(rng, host.server), 86_399 - requests.length);
        const run = ++runs;
        requests.forEach((req, j) => url(host, dayStart + (start + j) * 1000, userAgent, user(), req, id, run));
      }
    }
    if (rng.chance(0.02)) {
      const start = dayStart + rng.int(86_000) * 1000;
      out.push({
        kind: 'traffic',
        time: start + 1000,
        start,
        src: host.ip,
        dst: '9.9.9.9',
        dport: 53,
        protocol: 'udp',
        app: 'dns-base',
        category: 'any',
        user: host.user,
        bytes: { sent: rng.range(60, 90), received: rng.range(90, 400) },
        of: null,
        session: 0,
      });
    }
  }

  const threats = Math.max(1, Math.round(hosts.length * 0.01));
  const servers = hosts.filter((h) => h.server);
  for (let i = 0; i < threats; i++) {
    const time = dayStart + rng.int(86_400) * 1000;
    if (rng.chance(0.7)) {
      const [threat, threatCategory, severity] = rng.pick(VULNERABILITIES);
      const target = rng.pick(servers);
      out.push({
        kind: 'threat',
        time,
        subtype: 'vulnerability',
        src: `198.51.100.${rng.range(1, 254)}`,
        dst: target.ip,
        threat,
        threatCategory,
        severity,
        action: severity === 'informational' ? 'alert' : 'reset-both',
        app: 'web-browsing',
        session: 0,
      });
    } else {
      const [threat, threatCategory] = rng.pick(SPYWARE);
      out.push({
        kind: 'threat',
        time,
        subtype: 'spyware',
        src: rng.pick(hosts).ip,
        dst: '9.9.9.9',
        threat,
        threatCategory,
        severity: 'medium',
        action: 'sinkhole',
        app: 'dns-base',
        session: 0,
      });
    }
  }

  for (const s of plan.scripted) {
    const e: UrlEntry = { ...s };
    out.push(e);
    if (s.traffic !== null) out.push(trafficFor(rng, e, s.traffic.sent, s.traffic.received));
  }

  // Stable sort: equal times keep the order they were made in, which the seed fixes.
  out.sort((a, b) => a.time - b.time);
  // Far apart per day (MAX_EVENTS_PER_DAY bounds a day), so no TRAFFIC row can join another day's URL row.
  let session = 100_000 + plan.day * 100_000_000;
  for (const e of out) if (e.kind !== 'traffic' || e.of === null) e.session = ++session;
  for (const e of out) if (e.kind === 'traffic' && e.of !== null) e.session = e.of.session;
  assignPorts(out, plan);
  return out;
}

/** Ephemeral source ports: Linux's range on servers, Windows' and macOS's on desktops. */
const EPHEMERAL = { server: [32_768, 60_999], desktop: [49_152, 65_535] } as const;

/**
 * Each URL row's connection gets its host's next ephemeral port, as an OS
 * hands them out (rising by a step or so from where the day began, wrapping
 * at the range's end), so a port is not reused on a host within a day and
 * the firewall, the sensors and the endpoint all see the same one. A stream
 * of its own, so the rest of the day does not change with it.
 */
function assignPorts(entries: readonly Entry[], plan: DayPlan): void {
  const rng = new Random(mix(plan.seed, 0x9047, plan.day));
  const next = new Map<number, number>();
  for (const e of entries) {
    if (e.kind !== 'url') continue;
    const [lo, hi] = e.host.server ? EPHEMERAL.server : EPHEMERAL.desktop;
    let port = next.get(e.host.index) ?? rng.range(lo, hi);
    e.sourcePort = port;
    e.natPort = rng.range(1_024, 65_535);
    port += 1 + rng.int(3);
    next.set(e.host.index, port > hi ? lo + (port - hi - 1) : port);
  }
}
