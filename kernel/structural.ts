// The structural index of CSV lines, in WebAssembly SIMD (128-bit), written in
// AssemblyScript: built by scripts/build-kernel.js, read by
// src/core/sources/structural.ts, which holds the same algorithm in plain
// JavaScript (the fallback, and the reference the tests hold this to).
//
// Per 64-byte block: bitmasks of quotes, commas, line ends and bytes >= 0x80;
// quote parity by prefix XOR (reset after each line end, since every line is
// read alone); positions extracted by counting trailing zeros. Out come the
// positions of the commas outside quotes and, per line, where it ends, how
// many commas came before its end, and whether it must be read the slow way:
// a byte >= 0x80, or a quote PapaParse could read otherwise than quote parity
// does (an opening quote not at a field's start, a closing quote not before
// a comma, a line end or a doubled quote, a line ending inside quotes).

const QUOTE: u8 = 34;
const COMMA: u8 = 44;
const NL: u8 = 10;
/** The flag of a line entry: read this line the slow way. */
const SLOW: u32 = 0x80000000;

let commas: u32 = 0;
let tailSlow: u32 = 0;

/** Where the caller may put its buffers: past this module's own data, 64-byte aligned. */
export function base(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

/** Commas written by the last `scan`. */
export function commaCount(): u32 {
  return commas;
}

/** Whether the text after the last line end (a last line without its line end) is to be read the slow way. */
export function tailIsSlow(): u32 {
  return tailSlow;
}

@inline
function mask(a: v128, b: v128, c: v128, d: v128, byte: v128): u64 {
  return (
    <u64>(<u32>i8x16.bitmask(i8x16.eq(a, byte))) |
    (<u64>(<u32>i8x16.bitmask(i8x16.eq(b, byte))) << 16) |
    (<u64>(<u32>i8x16.bitmask(i8x16.eq(c, byte))) << 32) |
    (<u64>(<u32>i8x16.bitmask(i8x16.eq(d, byte))) << 48)
  );
}

@inline
function prefixXor(x: u64): u64 {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

/**
 * Indexes `len` bytes at `input` (zero bytes after them up to the next
 * multiple of 64). Writes comma positions at `commaOut` (room for
 * `commaRoom`) and, per line end, two numbers at `lineOut` (room for
 * `lineRoom` lines): its position (| SLOW) and the count of commas before it.
 * Returns the number of lines ended, or -1 when the room ran out.
 */
export function scan(input: usize, len: u32, commaOut: usize, commaRoom: u32, lineOut: usize, lineRoom: u32): i32 {
  const quote = i8x16.splat(QUOTE);
  const comma = i8x16.splat(COMMA);
  const nl = i8x16.splat(NL);
  let inside: u64 = 0; // all ones when the previous block ended inside quotes
  let before: u64 = 1; // bit 0: the byte before the block is a comma, quote or line end (the input's start counts)
  let pendingClose: u64 = 0; // the previous block's last byte closed quotes: the next byte must be a comma, quote or line end
  let slowLine: bool = false;
  let nc: u32 = 0;
  let nl_: u32 = 0;
  for (let b: u32 = 0; b < len; b += 64) {
    if (nc + 64 > commaRoom || nl_ + 64 > lineRoom) return -1;
    const p = input + b;
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    const q = mask(v0, v1, v2, v3, quote);
    const c = mask(v0, v1, v2, v3, comma);
    const n = mask(v0, v1, v2, v3, nl);
    const high =
      <u64>(<u32>i8x16.bitmask(v0)) |
      (<u64>(<u32>i8x16.bitmask(v1)) << 16) |
      (<u64>(<u32>i8x16.bitmask(v2)) << 32) |
      (<u64>(<u32>i8x16.bitmask(v3)) << 48);
    // The end of the input ends a line, for what may follow a closing quote.
    const end: u64 = len - b < 64 ? (<u64>1) << (len - b) : 0;

    let ins = prefixXor(q) ^ inside;
    // A line end inside quotes: that line is slow, and the next one starts outside quotes.
    let bad: u64 = 0;
    let open = n & ins;
    while (open != 0) {
      const low = open & (~open + 1);
      const upTo = (low << 1) - 1; // bits <= low (all ones for bit 63)
      bad |= low;
      ins ^= ~upTo;
      open = n & ins & ~upTo;
    }
    // The next block starts inside quotes when this one ends inside them, unless it ends with a line end.
    inside = <u64>(<i64>(ins & ~n) >> 63);

    const structural = c | n | q;
    const opens = q & ins;
    const closes = q & ~ins;
    bad |= opens & ~((structural << 1) | before);
    bad |= closes & ~((structural | end) >> 1) & ~(<u64>1 << 63);
    if (pendingClose != 0 && ((structural | end) & 1) == 0) bad |= 1;
    pendingClose = closes >> 63;
    before = structural >> 63;
    bad |= high;

    const outside = c & ~ins;
    // Lines ended in this block, each with the commas before its end.
    let ends = n;
    let done: u64 = 0; // bits up to the last line end written
    while (ends != 0) {
      const k = ctz(ends);
      const low = (<u64>1) << k;
      const upTo = low | (low - 1);
      const slow = slowLine || (bad & upTo & ~done) != 0;
      const at = lineOut + (<usize>nl_ << 3);
      store<u32>(at, (b + <u32>k) | (slow ? SLOW : 0));
      store<u32>(at, nc + <u32>popcnt(outside & (low - 1)), 4);
      nl_++;
      slowLine = false;
      done = upTo;
      ends &= ends - 1;
    }
    if ((bad & ~done) != 0) slowLine = true;

    let cs = outside;
    while (cs != 0) {
      store<u32>(commaOut + (<usize>nc << 2), b + <u32>ctz(cs));
      nc++;
      cs &= cs - 1;
    }
  }
  commas = nc;
  // A last line still inside quotes at the input's end is unclosed.
  tailSlow = slowLine || inside != 0 ? 1 : 0;
  return nl_;
}
