import { readEvtxPart, type EvtxDamage, type EvtxRecord } from '../evtx/read';
import type { SkipReason } from './counts';
import type { RowSink } from './rowSink';
import { endpointRecord, type WindowsEvent } from './windowsEvent';

const DAMAGE_REASON: Readonly<Record<EvtxDamage['kind'], SkipReason>> = {
  header: 'evtx-header',
  chunk: 'evtx-chunk',
  checksum: 'evtx-checksum',
  record: 'evtx-record',
};

const SHORT_PROVIDER: Readonly<Record<string, string>> = {
  'microsoft-windows-sysmon': 'Sysmon',
  'microsoft-windows-security-auditing': 'Security',
};

/** The type an event passed over is counted under: `Sysmon 11`, `Security 4624`, or the provider's own name and the id. */
export function windowsEventType(provider: string, eventId: number): string {
  return `${SHORT_PROVIDER[provider.toLowerCase()] ?? (provider || 'unknown provider')} ${eventId}`;
}

/**
 * Reads a part of an EVTX file (`bytes`, at byte offset `offset` of the
 * file: the file header when 0, then whole 64 KB chunks) into `sink`: Sysmon
 * 1, 3, 22 and Security 5156 records as endpoint records, every other event
 * counted by its type, damage counted by kind with its byte offset as the
 * example's place. Returns how many records the part held (read or damaged).
 */
export function readEvtxRecords(bytes: Uint8Array, offset: number, file: string, sink: RowSink): number {
  let records = 0;
  readEvtxPart(bytes, offset, {
    record(r: EvtxRecord): void {
      records++;
      const ev: WindowsEvent = r;
      const rec = endpointRecord(ev, file, r.recordId);
      // Without a sink that keeps endpoint records they are counted by type, never dropped unseen.
      if (rec !== null && sink.endpoint !== undefined) sink.endpoint(rec);
      else sink.other(windowsEventType(r.provider, r.eventId));
    },
    damage(d: EvtxDamage): void {
      if (d.kind === 'record') records++;
      sink.skip(DAMAGE_REASON[d.kind], d.offset, `offset 0x${d.offset.toString(16)}: ${d.reason}`);
    },
  });
  return records;
}
