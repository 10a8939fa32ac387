import { MAX_LINE_CHARS } from '../sources/lines';

/** The first part of a file is small, so its format is known soon and the rest can be read in parallel. */
export const FIRST_SEGMENT_BYTES = 64 * 1024;
export const SEGMENT_BYTES = 2 * 1024 * 1024;
/**
 * A line with more bytes than this is longer than MAX_LINE_CHARS characters
 * for certain (a UTF-16 unit takes at most three bytes of UTF-8), so it is
 * dropped here instead of being held whole; shorter ones go to the reader,
 * which measures them in characters.
 */
const OVERLONG_BYTES = 3 * (MAX_LINE_CHARS + 1) + 1;
const NL = 10;

/** Whole lines of a file (`overlong` null), or one line too long to keep (its first characters). */
export interface Segment {
  bytes: Uint8Array;
  overlong: string | null;
}

/** Cuts a stream of bytes into parts that end at line ends. Input chunks may be reused by their source after `push`. */
export class Segmenter {
  private buf: Uint8Array;
  private len = 0;
  private target: number;
  /** Inside a line too long to keep: its first characters, while the rest is passed over. */
  private dropping: string | null = null;

  /** Part sizes can be set smaller (tests cut small files into many parts). */
  constructor(private readonly firstBytes = FIRST_SEGMENT_BYTES, private readonly bytes = SEGMENT_BYTES) {
    this.buf = new Uint8Array(firstBytes * 2);
    this.target = firstBytes;
  }

  *push(chunk: Uint8Array): Iterable<Segment> {
    let data = chunk;
    if (this.dropping !== null) {
      const nl = data.indexOf(NL);
      if (nl === -1) return;
      yield { bytes: new Uint8Array(0), overlong: this.dropping };
      this.dropping = null;
      data = data.subarray(nl + 1);
    }
    this.append(data);
    while (this.len >= this.target) {
      const nl = this.buf.lastIndexOf(NL, this.len - 1);
      if (nl === -1) {
        if (this.len > OVERLONG_BYTES) {
          this.dropping = new TextDecoder().decode(this.buf.subarray(0, 320)).slice(0, 80);
          this.len = 0;
          this.target = this.bytes;
          return;
        }
        // One line longer than a part: read on until it ends.
        this.target = this.len + this.bytes;
        return;
      }
      yield { bytes: this.buf.slice(0, nl + 1), overlong: null };
      this.buf.copyWithin(0, nl + 1, this.len);
      this.len -= nl + 1;
      this.target = this.bytes;
    }
  }

  /** The rest, at the end of the stream: a last line without its line end. */
  *end(): Iterable<Segment> {
    if (this.dropping !== null) {
      yield { bytes: new Uint8Array(0), overlong: this.dropping };
      this.dropping = null;
    } else if (this.len > 0) {
      yield { bytes: this.buf.slice(0, this.len), overlong: null };
    }
    this.len = 0;
  }

  /** Whole lines held, not yet handed on as a part. */
  wholeLines(): number {
    let n = 0;
    for (let i = this.buf.indexOf(NL); i !== -1 && i < this.len; i = this.buf.indexOf(NL, i + 1)) n++;
    return n;
  }

  private append(data: Uint8Array): void {
    if (this.len + data.byteLength > this.buf.byteLength) {
      const bigger = new Uint8Array(Math.max(this.buf.byteLength * 2, this.len + data.byteLength));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(data, this.len);
    this.len += data.byteLength;
  }
}
