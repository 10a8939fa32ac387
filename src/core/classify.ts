import type { Candidate } from './event';
import type { DomainKeys } from './domain';
import type { Settings } from './settings';
import type { VariationId } from './variations';

const UPLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const VERSIONED_PATH = /^\/v[0-9]+\//;

/** The method half of "Upload": the byte half needs `uploadMinBytes`, a detection setting. */
export function isUploadMethod(method: string): boolean {
  return UPLOAD_METHODS.has(method);
}

export function isUpload(e: Pick<Candidate, 'method' | 'bytesOut'>, uploadMinBytes: number): boolean {
  if (!isUploadMethod(e.method)) return false;
  return !(e.bytesOut !== null && e.bytesOut < uploadMinBytes);
}

function isHtml(contentType: string): boolean {
  const semi = contentType.indexOf(';');
  const bare = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return bare === 'text/html' || bare === 'application/xhtml+xml';
}

/** What "Website UI" allows of a non-upload's content type: none, or a page. */
export function isHtmlOrNone(contentType: string): boolean {
  return contentType === '' || isHtml(contentType);
}

/** An API host (leftmost label `api` or `api-*`) or path (`/api`, `/api/...`, `/v1/...`): never a website UI. */
export function isApi(e: Pick<Candidate, 'hostname' | 'path'>): boolean {
  const dot = e.hostname.indexOf('.');
  const label = dot === -1 ? e.hostname : e.hostname.slice(0, dot);
  if (label === 'api' || label.startsWith('api-')) return true;
  const path = e.path.toLowerCase();
  return path === '/api' || path.startsWith('/api/') || VERSIONED_PATH.test(path);
}

/** "Website UI" without the text-share clause, which the caller knows. */
export function looksLikeWebsiteUi(e: Pick<Candidate, 'hostname' | 'path' | 'contentType'>, upload: boolean): boolean {
  return !isApi(e) && (upload || isHtmlOrNone(e.contentType));
}

export interface EventClass {
  upload: boolean;
  textShare: boolean;
  variation: VariationId | null;
}

/** The structural variation of an event, before any baseline. */
export function classifyEvent(e: Candidate, domains: DomainKeys, settings: Pick<Settings, 'uploadMinBytes'>): EventClass {
  const upload = isUpload(e, settings.uploadMinBytes);
  const textShare = domains.isTextShare(e.domain);
  let variation: VariationId | null;
  if (textShare) variation = upload ? 'text_share_upload' : 'text_share_download';
  else if (!looksLikeWebsiteUi(e, upload)) variation = null;
  else variation = upload ? 'website_upload' : 'website_access';
  return { upload, textShare, variation };
}
