import { eventFlags } from './classify';
import type { DomainKeys } from './domain';
import type { Candidate } from '../events/event';
import type { ColumnsBuilder } from '../events/columns';
import { ACTION, CLIENT, CONTENT_TYPE, DOMAIN, FILE, HOST, METHOD, SOURCE, USER, USER_AGENT } from '../events/columns';

/**
 * Adds a full event (the batch detector's and the old stored form) to `b` as
 * a compact one, its flags worked out from the URL, method and content type
 * as the map does; `source` names the input it came from. Returns its index.
 */
export function pushCandidate(b: ColumnsBuilder, e: Candidate, domains: DomainKeys, source: string): number {
  const i = b.push(
    e.time,
    eventFlags(domains.isTextShare(e.domain), e.hostname, e.path, e.contentType, e.method),
    e.bytesOut,
    e.bytesIn,
    e.source.line,
    e.url,
    '',
  );
  const texts: [number, string][] = [
    [HOST, e.host],
    [USER, e.user],
    [CLIENT, e.client],
    [DOMAIN, e.domain],
    [USER_AGENT, e.userAgent],
    [METHOD, e.method],
    [CONTENT_TYPE, e.contentType],
    [ACTION, e.action],
    [FILE, e.source.file],
    [SOURCE, source],
  ];
  for (const [field, text] of texts) b.setText(i, field, b.code(text));
  return i;
}
