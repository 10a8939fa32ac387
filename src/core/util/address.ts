/**
 * IP addresses as endpoints and sensors write them: one spelling for keys,
 * and whether an address is local to a network (docs/detection.md
 * "Endpoint-only events": private, loopback and link-local addresses are never
 * a website).
 */

/** Lower case, without the `::ffff:` of an IPv4-mapped IPv6 address or the brackets of a URL. */
export function normaliseAddress(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  if (a.startsWith('::ffff:') && a.indexOf('.') !== -1) a = a.slice(7);
  return a;
}

function ipv4(a: string): number[] | null {
  const parts = a.split('.');
  if (parts.length !== 4) return null;
  const n = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return n.every((x) => x <= 255) ? n : null;
}

/**
 * Private (RFC 1918, IPv6 unique local), loopback, link-local or unspecified;
 * also anything that is not an IP address at all, which names no site either.
 */
export function isLocalAddress(address: string): boolean {
  const a = normaliseAddress(address);
  const v4 = ipv4(a);
  if (v4 !== null) {
    const [x, y] = v4;
    return (
      x === 10 ||
      x === 127 ||
      x === 0 ||
      (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) ||
      (x === 169 && y === 254)
    );
  }
  if (a.indexOf(':') === -1) return true;
  if (a === '::1' || a === '::') return true;
  const first = parseInt(a.split(':')[0] || '0', 16);
  // fe80::/10 link-local, fc00::/7 unique local.
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00;
}
