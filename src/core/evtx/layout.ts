/**
 * The fixed layout of an EVTX file (libevtx's "Windows XML Event Log (EVTX)
 * format"): a 4 KB file header, then 64 KB chunks, each a 512-byte header and
 * event records. Offsets below are from the start of the structure named.
 */

export const FILE_HEADER_BYTES = 4096;
export const CHUNK_BYTES = 65536;
export const CHUNK_HEADER_BYTES = 512;
/** A record: signature, size, identifier, written time; its BinXML; the size again. */
export const RECORD_HEADER_BYTES = 24;

/** `ElfFile\0` */
export const FILE_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00] as const;
/** `ElfChnk\0` */
export const CHUNK_MAGIC = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00] as const;
/** `**\0\0` */
export const RECORD_MAGIC = 0x00002a2a;

/** File header: the CRC32 at 124 covers its first 120 bytes. */
export const FH_CHECKSUM = 124;
export const FH_CHECKED_BYTES = 120;
/** Chunk header: CRC32 of the records (512 up to the free space offset), and of the header (0-120 and 128-512). */
export const CH_FREE_SPACE = 48;
/** Chunk header: the identifiers of its first and last records. */
export const CH_FIRST_ID = 24;
export const CH_LAST_ID = 32;
export const CH_RECORDS_CHECKSUM = 52;
export const CH_CHECKSUM = 124;

/** Whether `bytes` open with `magic`. */
export function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/** Whether a file's first bytes are an EVTX file header. */
export function isEvtx(head: Uint8Array): boolean {
  return startsWith(head, FILE_MAGIC);
}

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table !== null) return table;
  table = new Uint32Array(256 * 4);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  // Slicing by four: four bytes a step, as a chunk's records are checked whole.
  for (let n = 0; n < 256; n++) {
    let c = table[n];
    for (let s = 1; s < 4; s++) {
      c = table[c & 0xff] ^ (c >>> 8);
      table[s * 256 + n] = c >>> 0;
    }
  }
  return table;
}

/** CRC32 (the zlib one) of `bytes[start, end)`, continuing from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, start: number, end: number, crc = 0): number {
  const t = crcTable();
  let c = ~crc >>> 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
