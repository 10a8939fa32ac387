/**
 * Endpoint records: what Sysmon, the Security log's filtering-platform audit
 * and Microsoft Defender for Endpoint say about the programs on a host. Every
 * endpoint reader (EVTX, XML, ECS JSON lines, Defender CSV and JSON) produces
 * these; stitching joins them to URL events (docs/detection.md "Endpoint
 * sources and stitching").
 */

interface EndpointBase {
  /** UTC epoch ms. */
  time: number;
  /** The host's computer name as logged (e.g. `DESKTOP-2KGM189`, or a FQDN). */
  computer: string;
  /** Sysmon's ProcessGuid, braces and case as logged; empty where the source has none. */
  guid: string;
  /** Null where unknown. */
  pid: number | null;
  /** Full image path as logged (`C:\Windows\System32\curl.exe`); empty where unknown. */
  image: string;
  /** `DOMAIN\name` as logged; empty where unknown. */
  user: string;
  /** Where the record came from: the file's base name and its 1-based line, or for EVTX its record number. */
  file: string;
  line: number;
}

/** A process start (Sysmon 1; Defender DeviceProcessEvents). */
export interface ProcessStart extends EndpointBase {
  kind: 'process';
  commandLine: string;
  parentImage: string;
}

/** A network connection (Sysmon 3, Security 5156, Defender DeviceNetworkEvents). */
export interface Connection extends EndpointBase {
  kind: 'connection';
  /** Lower case (`tcp`, `udp`); empty where unknown. */
  protocol: string;
  localAddress: string;
  localPort: number | null;
  remoteAddress: string;
  remotePort: number | null;
  /** Defender's RemoteUrl; empty where none. */
  remoteUrl: string;
  /** Sysmon 3's DestinationHostname: a reverse lookup, shown, never used as the site. Empty where none. */
  reverseName: string;
  /** Sources that log them on the connection itself (Defender); empty otherwise. */
  commandLine: string;
  parentImage: string;
}

/** A name lookup (Sysmon 22). */
export interface NameLookup extends EndpointBase {
  kind: 'lookup';
  /** As logged. */
  query: string;
  /** The addresses among its answers (`::ffff:` prefixes removed), CNAMEs left out. */
  answers: string[];
}

export type EndpointRecord = ProcessStart | Connection | NameLookup;

/** What a stitched or endpoint-only event carries of its process (null fields are unknown). */
export interface ProcessInfo {
  computer: string;
  image: string;
  pid: number | null;
  user: string | null;
  commandLine: string | null;
  parentImage: string | null;
}
