import type { DomainKeys } from '../../src/core/classify/domain';
import { isApi, isHtmlOrEmpty, isUploadMethod, variationOf, type EventClass } from '../../src/core/classify/classify';
import type { Candidate } from '../../src/core/events/event';
import type { Settings } from '../../src/core/settings/settings';

// The oracle's classification of a full event; the product classifies compact events by their flags (classifyFlags).

function isUpload(e: Pick<Candidate, 'method' | 'bytesOut'>, uploadMinBytes: number): boolean {
  if (!isUploadMethod(e.method)) return false;
  return !(e.bytesOut !== null && e.bytesOut < uploadMinBytes);
}

/** "Website UI" without the text-share clause, which the caller knows. */
function looksLikeWebsiteUi(e: Pick<Candidate, 'hostname' | 'path' | 'contentType'>, upload: boolean): boolean {
  if (isApi(e.hostname, e.path)) return false;
  return upload || isHtmlOrEmpty(e.contentType);
}

/** The structural variation of an event, before any baseline. */
export function classifyEvent(e: Candidate, domains: DomainKeys, settings: Pick<Settings, 'uploadMinBytes'>): EventClass {
  const upload = isUpload(e, settings.uploadMinBytes);
  const textShare = domains.isTextShare(e.domain);
  return { upload, textShare, variation: variationOf(textShare, upload, looksLikeWebsiteUi(e, upload)) };
}
