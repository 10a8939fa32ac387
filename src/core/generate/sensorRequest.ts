import type { UrlEntry } from './entries';
import type { Random } from './random';

/**
 * What a network sensor sees of a generated request that PAN-OS's URL log
 * does not say: the Host header and URI apart, the body sizes, the status.
 * The generated organisation is seen in clear text, as a sensor behind TLS
 * inspection sees it, so the sensor forms hold the very requests of the
 * PAN-OS form (the rows PAN-OS logs without a User-Agent, undecrypted TLS
 * there, are requests that sent none here: both are unknown clients).
 */
export interface SensorRequest {
  /** The Host header: the URL's host (generated URLs use default ports). */
  host: string;
  /** Path and query, from the first `/`. */
  uri: string;
  /** Upper case, as sensors log it; '' where PAN-OS logged none. */
  method: string;
  /** Request body bytes. */
  bodyOut: number;
  /** Response body bytes. */
  bodyIn: number;
  status: number;
  statusMessage: string;
  /** The response's type without parameters, as Zeek's content sniffing names it. */
  mimeType: string;
}

const UPLOAD = new Set(['POST', 'PUT', 'PATCH']);

export function sensorRequest(e: UrlEntry, rng: Random): SensorRequest {
  const slash = e.url.indexOf('/');
  const host = slash === -1 ? e.url : e.url.slice(0, slash);
  const uri = slash === -1 ? '/' : e.url.slice(slash);
  const method = e.method.toUpperCase();
  // Bytes sent decide an upload. PAN-OS knows them only from a TRAFFIC row (then these are
  // the same); without one an upload method is an upload there, so its body is at least 1 KiB here.
  const bodyOut = !UPLOAD.has(method) ? 0 : e.traffic !== null ? e.traffic.sent : rng.range(1024, 48_000);
  const bodyIn = e.traffic !== null ? e.traffic.received : rng.range(300, 250_000);
  const blocked = e.action.startsWith('block');
  const semi = e.contentType.indexOf(';');
  return {
    host,
    uri,
    method,
    bodyOut,
    bodyIn,
    status: blocked ? 403 : 200,
    statusMessage: blocked ? 'Forbidden' : 'OK',
    mimeType: (semi === -1 ? e.contentType : e.contentType.slice(0, semi)).trim().toLowerCase(),
  };
}

/** Seconds since the epoch with six decimals, as Zeek writes a time. */
export function epochSeconds(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Zeek connection or file id: a letter, then 17 base-62 characters. */
export function zeekId(rng: Random, prefix: 'C' | 'F'): string {
  return prefix + rng.token(17, BASE62);
}
