import type { Entry, ThreatEntry, TrafficEntry, UrlEntry } from './entries';
import type { Random } from './random';
import { destination } from './render';
import { sensorRequest } from './sensorRequest';

/**
 * Entries as Suricata's `eve.json`: URL entries as `http` records, THREAT
 * entries as `alert` records, TRAFFIC entries as `flow` records (the reader
 * counts those two by type and passes over them). Times carry the sensor's
 * UTC offset, written as Suricata writes it (`-0500`, no colon).
 */

/** The sensor's clock: five hours behind UTC, all year. */
const OFFSET_MINUTES = -300;
const IFACE = 'ens192';

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-08-31T19:00:00.000000-0500` for 2026-09-01T00:00:00Z. */
function eveTime(ms: number): string {
  const local = new Date(ms + OFFSET_MINUTES * 60_000).toISOString();
  const off = Math.abs(OFFSET_MINUTES);
  return `${local.slice(0, 19)}.${local.slice(20, 23)}000${OFFSET_MINUTES < 0 ? '-' : '+'}${two(Math.floor(off / 60))}${two(off % 60)}`;
}

export class EveWriter {
  private flow: number;

  constructor(
    private readonly rng: Random,
    day: number,
  ) {
    this.flow = 1_000_000_000_000 + day * 10_000_000;
  }

  /** One entry's line. */
  line(e: Entry): string {
    const r = e.kind === 'url' ? this.http(e) : e.kind === 'threat' ? this.alert(e) : this.flowRecord(e);
    return JSON.stringify(r) + '\n';
  }

  private flowId(): number {
    this.flow += 1 + this.rng.int(9);
    return this.flow;
  }

  private http(e: UrlEntry): Record<string, unknown> {
    const r = sensorRequest(e, this.rng);
    // Suricata writes only the fields the request had.
    const http: Record<string, unknown> = { hostname: r.host, url: r.uri };
    if (e.userAgent !== '') http.http_user_agent = e.userAgent;
    if (e.contentType !== '') http.http_content_type = e.contentType;
    if (e.referer) http.http_refer = e.referer;
    if (r.method !== '') http.http_method = r.method;
    http.protocol = 'HTTP/1.1';
    http.status = r.status;
    http.length = r.bodyIn;
    return {
      timestamp: eveTime(e.time),
      flow_id: this.flowId(),
      in_iface: IFACE,
      event_type: 'http',
      src_ip: e.host.ip,
      src_port: e.sourcePort,
      dest_ip: destination(e.url),
      dest_port: e.port ?? 443,
      proto: 'TCP',
      tx_id: 0,
      http,
    };
  }

  private alert(e: ThreatEntry): Record<string, unknown> {
    const inbound = e.subtype === 'vulnerability';
    return {
      timestamp: eveTime(e.time),
      flow_id: this.flowId(),
      in_iface: IFACE,
      event_type: 'alert',
      src_ip: e.src,
      src_port: this.rng.range(1_024, 65_535),
      dest_ip: e.dst,
      dest_port: inbound ? 443 : 53,
      proto: inbound ? 'TCP' : 'UDP',
      alert: {
        action: 'allowed',
        gid: 1,
        signature_id: 2_000_000 + this.rng.int(60_000),
        rev: 1,
        signature: e.threat,
        category: e.threatCategory,
        severity: e.severity === 'critical' || e.severity === 'high' ? 1 : e.severity === 'medium' ? 2 : 3,
      },
    };
  }

  private flowRecord(e: TrafficEntry): Record<string, unknown> {
    return {
      timestamp: eveTime(e.start),
      flow_id: this.flowId(),
      in_iface: IFACE,
      event_type: 'flow',
      src_ip: e.src,
      src_port: e.of?.sourcePort ?? this.rng.range(49_152, 65_535),
      dest_ip: e.dst,
      dest_port: e.dport,
      proto: e.protocol.toUpperCase(),
      flow: {
        pkts_toserver: Math.max(1, Math.ceil(e.bytes.sent / 1200)),
        pkts_toclient: Math.max(1, Math.ceil(e.bytes.received / 1400)),
        bytes_toserver: e.bytes.sent,
        bytes_toclient: e.bytes.received,
        start: eveTime(e.start),
        end: eveTime(e.time),
        age: Math.round((e.time - e.start) / 1000),
        state: 'closed',
        reason: 'timeout',
        alerted: false,
      },
    };
  }
}
