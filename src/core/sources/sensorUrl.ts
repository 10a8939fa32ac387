/**
 * The URL of a request a network sensor logged, put together as PAN-OS writes
 * one (no scheme): the Host header, then the URI. urlParts (../url.ts) then
 * drops a `:port` from the host, as docs/detection.md "URL parts" says.
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** CONNECT's request target: `host:port`. */
const AUTHORITY = /^[^/?#\s]+:\d{1,5}$/;

/** An IPv6 address needs brackets in a URL, or its first `:` would be read as a port. */
function bracketed(host: string): string {
  return host.indexOf(':') !== host.lastIndexOf(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * `hostHeader` and `uri` as logged ('' where the sensor logged none),
 * `server` the server's address. A request without a Host header (HTTP/1.0
 * clients, hand-written tools) is put under the server's address, as the
 * firewall logs such a request. '' when there is no host at all.
 */
export function sensorUrl(hostHeader: string, uri: string, server: string): string {
  // A request through a proxy carries the whole URL.
  if (SCHEME.test(uri)) return uri;
  let host = hostHeader.trim();
  if (host === '' && AUTHORITY.test(uri)) host = uri;
  if (host === '') host = server.trim();
  if (host === '') return '';
  host = bracketed(host);
  if (uri.startsWith('/')) return host + uri;
  if (uri === '' || uri === '*' || AUTHORITY.test(uri)) return host;
  return `${host}/${uri}`;
}
