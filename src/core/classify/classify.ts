import { FLAG_API, FLAG_HTML, FLAG_TEXT_SHARE, FLAG_UPLOAD_METHOD } from '../events/columns';
import type { VariationId } from '../settings/variations';

const UPLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const VERSIONED_PATH = /^\/v[0-9]+\//;

function isUploadMethod(method: string): boolean {
  return UPLOAD_METHODS.has(method);
}

/** Content type empty, or (parameters dropped, case ignored) HTML. */
function isHtmlOrEmpty(contentType: string): boolean {
  if (contentType === '') return true;
  const semi = contentType.indexOf(';');
  const bare = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return bare === 'text/html' || bare === 'application/xhtml+xml';
}

/** An API host (leftmost label `api` or `api-…`) or API path (`/api`, `/api/…`, `/v1/…`): never a website UI. */
export function isApi(hostname: string, path: string): boolean {
  const dot = hostname.indexOf('.');
  const label = dot === -1 ? hostname : hostname.slice(0, dot);
  if (label === 'api' || label.startsWith('api-')) return true;
  const p = path.toLowerCase();
  return p === '/api' || p.startsWith('/api/') || VERSIONED_PATH.test(p);
}

export interface EventClass {
  upload: boolean;
  textShare: boolean;
  variation: VariationId | null;
}

/** The variation (docs/detection.md "Variation of an event") from the facts about an event that do not depend on the baseline. */
function variationOf(textShare: boolean, upload: boolean, websiteUi: boolean): VariationId | null {
  if (textShare) return upload ? 'text_share_upload' : 'text_share_download';
  if (!websiteUi) return null;
  return upload ? 'website_upload' : 'website_access';
}

/** The structural facts of an event as compact flags (events/columns.ts). */
export function eventFlags(textShare: boolean, hostname: string, path: string, contentType: string, method: string): number {
  return (
    (textShare ? FLAG_TEXT_SHARE : 0) |
    (isApi(hostname, path) ? FLAG_API : 0) |
    (isHtmlOrEmpty(contentType) ? FLAG_HTML : 0) |
    (isUploadMethod(method) ? FLAG_UPLOAD_METHOD : 0)
  );
}

/** An event's class from its compact flags: upload decided against `uploadMinBytes` now, so it stays a detection setting. */
export function classifyFlags(flags: number, bytesOut: number | null, uploadMinBytes: number): EventClass {
  const upload = (flags & FLAG_UPLOAD_METHOD) !== 0 && !(bytesOut !== null && bytesOut < uploadMinBytes);
  const textShare = (flags & FLAG_TEXT_SHARE) !== 0;
  const websiteUi = (flags & FLAG_API) === 0 && (upload || (flags & FLAG_HTML) !== 0);
  return { upload, textShare, variation: variationOf(textShare, upload, websiteUi) };
}
