export interface UrlParts {
  hostname: string;
  path: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Splits a URL as logged (with or without a scheme) per docs/detection.md "URL parts". */
export function urlParts(url: string): UrlParts {
  let rest = url.trim();
  const scheme = SCHEME.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  let end = rest.length;
  for (const ch of ['/', '?', '#']) {
    const i = rest.indexOf(ch);
    if (i !== -1 && i < end) end = i;
  }
  let host = rest.slice(0, end);
  const at = host.lastIndexOf('@');
  if (at !== -1) host = host.slice(at + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = close === -1 ? host.slice(1) : host.slice(1, close);
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) host = host.slice(0, colon);
  }
  let path = '/';
  if (rest.charCodeAt(end) === 47 /* '/' */) {
    let pend = rest.length;
    const q = rest.indexOf('?', end);
    const h = rest.indexOf('#', end);
    if (q !== -1) pend = q;
    if (h !== -1 && h < pend) pend = h;
    path = rest.slice(end, pend) || '/';
  }
  return { hostname: host.toLowerCase(), path };
}
