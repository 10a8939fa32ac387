/** What a generated day is made of, before it is written as PAN-OS rows. */

export type Os = 'windows' | 'mac' | 'linux';

export interface Host {
  index: number;
  ip: string;
  /** `corp\name`; empty on servers (no User-ID mapping). */
  user: string;
  os: Os;
  server: boolean;
  /** The host's browser User-Agent; empty on servers. */
  browserUa: string;
  /** The apps and tools the host runs every day, each with this host's User-Agent for it. */
  habits: { id: string; userAgent: string }[];
}

/** One HTTP request as the firewall's URL log sees it. */
export interface Request {
  /** As PAN-OS writes it: lower case, empty when unknown. */
  method: string;
  /** No scheme, as PAN-OS logs it. */
  url: string;
  contentType: string;
  category: string;
  app: string;
  referer?: string;
  action?: string;
  /** Destination port; 443 unless set. */
  port?: number;
}

export interface Bytes {
  sent: number;
  received: number;
}

export interface UrlEntry extends Request {
  kind: 'url';
  /** Generated Time, UTC epoch ms (whole seconds). */
  time: number;
  host: Host;
  user: string;
  userAgent: string;
  action: string;
  /** Session id, assigned when the day is put in order. */
  session: number;
  /** Set when a TRAFFIC row for this session is written too. */
  traffic: Bytes | null;
  /**
   * The program that made the request, for the endpoint view: `browser`, a
   * habit's id, `implant`; empty where no endpoint logs it (programs.ts).
   */
  program: string;
  /** Which run of the program (one process per run for short-lived tools); 0 for the browser. */
  run: number;
  /** Pre-NAT source port (the host's ephemeral port) and the firewall's NAT source port, set when the day is put in order. */
  sourcePort: number;
  natPort: number;
}

/** A THREAT row of another subtype (counted by the reader as another log type). */
export interface ThreatEntry {
  kind: 'threat';
  time: number;
  subtype: 'vulnerability' | 'spyware';
  src: string;
  dst: string;
  threat: string;
  threatCategory: string;
  severity: string;
  action: string;
  app: string;
  session: number;
}

export interface TrafficEntry {
  kind: 'traffic';
  /** Session end, UTC epoch ms. */
  time: number;
  start: number;
  src: string;
  dst: string;
  dport: number;
  protocol: 'tcp' | 'udp';
  app: string;
  category: string;
  user: string;
  bytes: Bytes;
  /** The URL row of the same session, when there is one. */
  of: UrlEntry | null;
  session: number;
}

export type Entry = UrlEntry | ThreatEntry | TrafficEntry;
