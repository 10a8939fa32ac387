import type { TimeParser } from '../util/time';
import type { FormatId, LineContext, LineReader, ReaderContext } from './format';
import { defenderHeader, DefenderCsvReader } from './defenderCsv';
import { DefenderJsonReader, isDefenderRecord } from './defenderJson';
import { EcsJsonReader, isEcsRecord } from './ecsJson';
import { parseRecord } from './jsonLine';
import { PanosReader } from './panos';
import type { RowSink } from './rowSink';
import { isEveRecord, SuricataEveReader } from './suricataEve';
import { isZeekRecord, ZeekJsonReader } from './zeekJson';
import { isWindowsXmlLine, WindowsXmlReader } from './windowsXml';
import { isSeparatorLine, ZeekTsvReader } from './zeekTsv';

const OPEN_BRACE = 123;

/**
 * The reader for a file, or for a later part of one whose context is known.
 * With no context, the format is told from the lines themselves.
 */
export function createReader(context: LineContext | null, parseTime: TimeParser): LineReader {
  if (context === null) return new FormatSniffer(parseTime);
  switch (context.format) {
    case 'panos-syslog':
    case 'panos-csv':
      return new PanosReader(parseTime, context);
    case 'zeek-tsv':
      return new ZeekTsvReader(parseTime, context.block);
    case 'zeek-json':
      return new ZeekJsonReader(parseTime);
    case 'suricata-eve':
      return new SuricataEveReader(parseTime);
    case 'windows-xml':
      return new WindowsXmlReader(parseTime, context);
    case 'ecs-json':
      return new EcsJsonReader(parseTime);
    case 'defender-csv':
      return new DefenderCsvReader(parseTime, context);
    case 'defender-json':
      return new DefenderJsonReader(parseTime);
  }
}

/**
 * Reads lines until one shows the file's format, then hands every later line
 * to that format's reader. A Zeek TSV log opens with a `#separator` line; a
 * JSON object line is Suricata's when it has `event_type` and `timestamp`,
 * Zeek's when it has `ts` and the connection's id, a Windows event shipped
 * by Winlogbeat or Elastic Agent when it has `winlog.event_id`, a Defender
 * for Endpoint row when it has its columns (`Timestamp`, `DeviceName`,
 * `ActionType`); a line opening with `{` that is not a JSON object is
 * skipped as such. Windows event XML opens with its prolog, `<Events>` or an
 * `<Event>`; a Defender CSV export with a header row of its columns, tried
 * before PAN-OS (whose header names it does not use). Any other line is
 * tried as PAN-OS, exactly as a PAN-OS-only reader would (and skipped as it
 * would be).
 */
class FormatSniffer implements LineReader {
  private readonly panos: PanosReader;
  private chosen: LineReader | null = null;

  constructor(private readonly parseTime: TimeParser) {
    this.panos = new PanosReader(parseTime);
  }

  get format(): FormatId | null {
    return this.chosen?.format ?? null;
  }

  context(): { context: ReaderContext; final: boolean } | null {
    return this.chosen?.context() ?? null;
  }

  get refused(): string | null {
    return this.chosen?.refused ?? null;
  }

  blank(line: number): void {
    this.chosen?.blank?.(line);
  }

  read(text: string, start: number, end: number, line: number, sink: RowSink): void {
    if (this.chosen !== null) {
      this.chosen.read(text, start, end, line, sink);
      return;
    }
    if (isSeparatorLine(text, start, end)) {
      this.chosen = new ZeekTsvReader(this.parseTime);
      this.chosen.read(text, start, end, line, sink);
      return;
    }
    // No PAN-OS line starts with `{`: such a line is JSON, or a broken line of a JSON log.
    const record = text.charCodeAt(start) === OPEN_BRACE ? parseRecord(text, start, end) : null;
    if (record === null && text.charCodeAt(start) === OPEN_BRACE) {
      sink.skip('not-json', line, text.slice(start, end));
      return;
    }
    if (record !== null && isEveRecord(record)) {
      const eve = new SuricataEveReader(this.parseTime);
      this.chosen = eve;
      eve.record(record, text, start, end, line, sink);
      return;
    }
    if (record !== null && isZeekRecord(record)) {
      const zeek = new ZeekJsonReader(this.parseTime);
      this.chosen = zeek;
      zeek.record(record, text, start, end, line, sink);
      return;
    }
    if (record !== null && isEcsRecord(record)) {
      const ecs = new EcsJsonReader(this.parseTime);
      this.chosen = ecs;
      ecs.record(record, text, start, end, line, sink);
      return;
    }
    if (record !== null && isDefenderRecord(record)) {
      const defender = new DefenderJsonReader(this.parseTime);
      this.chosen = defender;
      defender.record(record, text, start, end, line, sink);
      return;
    }
    if (isWindowsXmlLine(text, start)) {
      this.chosen = new WindowsXmlReader(this.parseTime);
      this.chosen.read(text, start, end, line, sink);
      return;
    }
    const columns = defenderHeader(text, start, end);
    if (columns !== null) {
      this.chosen = new DefenderCsvReader(this.parseTime, { columns, pending: null, pendingLines: 0 });
      sink.header();
      return;
    }
    this.panos.read(text, start, end, line, sink);
    if (this.panos.format !== null) this.chosen = this.panos;
  }
}
