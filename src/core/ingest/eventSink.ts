import { eventFlags } from '../classify/classify';
import type { ClientClassifier, ClientInfo } from '../classify/client';
import type { DomainKeys } from '../classify/domain';
import {
  ACTION,
  CLIENT,
  ColumnsBuilder,
  connKey,
  FLAG_PENDING,
  CONTENT_TYPE,
  DOMAIN,
  FILE,
  HOST,
  METHOD,
  SOURCE,
  USER,
  USER_AGENT,
} from '../events/columns';
import type { RowSink, UrlRow } from '../sources/rowSink';
import type { EndpointRecord } from '../events/endpoint';
import type { StoredEndpoint } from '../runs/endpointRuns';
import { DAY_MS, emptyCounts, MAX_EXAMPLES, type Counts, type SkipReason } from '../sources/counts';
import { detach } from '../util/strings';
import { urlParts } from '../util/url';
import { TrafficBuilder } from '../runs/traffic';

/**
 * What ingest keeps of the rows of one part of a file: counts for every row,
 * compact events for the non-browser ones, and endpoint records for
 * stitching. With `keepPending` (the map's inputs or the history hold
 * endpoint data: pipeline.ts mayStitch), a browser's or an unknown client's
 * URL row that gives its connection's four values is kept too, marked
 * FLAG_PENDING: stitching may find the process behind it (a program sending
 * a browser's User-Agent); unstitched, the join drops it. Without, such rows
 * are only counted, and their fields are not read (wantsDetail).
 */
export class EventSink implements RowSink {
  readonly events = new ColumnsBuilder();
  readonly trafficRows = new TrafficBuilder();
  readonly endpoints: StoredEndpoint[] = [];
  readonly counts: Counts = emptyCounts();
  private readonly fileCode: number;
  private readonly sourceCode: number;
  private readonly source: string;
  private lastDay = NaN;
  private dayCounts: [number, number, number] = [0, 0, 0];
  private readonly examplesPerReason = new Map<SkipReason, number>();
  /** The client wantsDetail found last, for `url` to take when the same row comes (the same string, so === is a pointer test). */
  private askedUserAgent: string | null = null;
  private askedImage = '';
  private asked: ClientInfo | null = null;

  constructor(
    private readonly clients: ClientClassifier,
    private readonly domains: DomainKeys,
    private readonly file: string,
    source: string,
    private readonly keepPending: boolean,
  ) {
    this.fileCode = this.events.code(file);
    this.sourceCode = this.events.code(source);
    this.source = this.events.strings[this.sourceCode];
  }

  /** A non-browser's row is read whole; with `keepPending` every row is, since a browser's may be kept for stitching. */
  wantsDetail(userAgent: string, image: string): boolean {
    this.askedUserAgent = userAgent;
    this.askedImage = image;
    this.asked = this.clients.classify(userAgent, image);
    return this.keepPending || this.asked.kind === 'non-browser';
  }

  endpoint(rec: EndpointRecord): void {
    const counts = this.counts;
    counts.endpoint[rec.kind]++;
    // A reader does not know its file's name: the sink does.
    this.endpoints.push({ ...rec, file: rec.file === '' ? this.file : rec.file, source: this.source });
    const time = rec.time;
    // Endpoint records count towards the data start: an endpoint-only event can be the earliest of the history.
    if (counts.minTime === null || time < counts.minTime) counts.minTime = time;
    if (counts.maxTime === null || time > counts.maxTime) counts.maxTime = time;
  }

  url(row: UrlRow, line: number, text: string | (() => string), start: number, end: number): void {
    const counts = this.counts;
    const client =
      this.asked !== null && row.userAgent === this.askedUserAgent && row.image === this.askedImage
        ? this.asked
        : this.clients.classify(row.userAgent, row.image);
    this.asked = null;
    const time = row.time;
    const nonBrowser = client.kind === 'non-browser';
    const conn =
      nonBrowser || this.keepPending
        ? connKey(row.sourceAddress, row.sourcePort, row.destinationAddress, row.destinationPort)
        : '';
    const parts = nonBrowser || conn !== '' ? urlParts(row.url) : null;
    if (nonBrowser && parts?.hostname === '') {
      this.skip('no-url', line, typeof text === 'string' ? text.slice(start, end) : text());
      return;
    }
    if (parts !== null && parts.hostname !== '') {
      if (nonBrowser) counts.nonBrowser++;
      const method = row.method.trim().toUpperCase();
      const domain = this.domains.key(parts.hostname);
      const flags =
        eventFlags(this.domains.isTextShare(domain), parts.hostname, parts.path, row.contentType, method) |
        (nonBrowser ? 0 : FLAG_PENDING);
      const ev = this.events;
      const i = ev.push(time, flags, row.bytesOut, row.bytesIn, line, row.url, row.session, conn);
      ev.setText(i, HOST, ev.code(row.host));
      ev.setText(i, USER, ev.code(row.user));
      ev.setText(i, CLIENT, ev.code(client.key));
      ev.setText(i, DOMAIN, ev.code(domain));
      ev.setText(i, USER_AGENT, ev.code(row.userAgent));
      ev.setText(i, METHOD, ev.code(method));
      ev.setText(i, CONTENT_TYPE, ev.code(row.contentType));
      ev.setText(i, ACTION, ev.code(row.action));
      ev.setText(i, FILE, this.fileCode);
      ev.setText(i, SOURCE, this.sourceCode);
    }
    if (client.kind === 'browser') counts.browser++;
    else if (client.kind === 'unknown') counts.unknown++;
    const day = Math.floor(time / DAY_MS);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.dayCounts = counts.perDay[day] ??= [0, 0, 0];
    }
    this.dayCounts[client.kind === 'browser' ? 0 : client.kind === 'non-browser' ? 1 : 2]++;
    if (counts.minTime === null || time < counts.minTime) counts.minTime = time;
    if (counts.maxTime === null || time > counts.maxTime) counts.maxTime = time;
  }

  traffic(session: string, time: number, sent: number, received: number | null): void {
    this.trafficRows.push(time, session, sent, received);
  }

  other(type: string): void {
    this.counts.other[type] = (this.counts.other[type] ?? 0) + 1;
  }

  header(): void {
    this.counts.headers++;
  }

  skip(reason: SkipReason, line: number, text: string): void {
    const counts = this.counts;
    counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
    const shown = this.examplesPerReason.get(reason) ?? 0;
    if (shown < MAX_EXAMPLES) {
      this.examplesPerReason.set(reason, shown + 1);
      counts.examples.push({ reason, file: this.file, line, text: detach(text.slice(0, 200)) });
    }
  }
}
