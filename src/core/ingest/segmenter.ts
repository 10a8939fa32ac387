import { CHUNK_BYTES, FILE_HEADER_BYTES } from '../evtx/layout';
import { MAX_LINE_CHARS } from '../sources/lines';

/** The first part of a file is small, so its format is known soon and the rest can be read in parallel. */
const FIRST_SEGMENT_BYTES = 64 * 1024;
const SEGMENT_BYTES = 2 * 1024 * 1024;
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
  /** The part's byte offset in the file, for parts cut at EVTX chunk ends. */
  offset?: number;
  /**
   * Set when the segmenter hashes in blocks (Segmenter.hashInBlocks): `bytes`
   * then starts at a block boundary of the file, its first `skip` bytes the
   * end of the part before (digested with this part, not read again), and the
   * fingerprint blocks in its first `bytes` bytes are to be digested (whole
   * blocks, but at the file's end).
   */
  hash?: { skip: number; bytes: number };
  /** Bytes to digest only, not to read: passed over in a line too long to keep, or left over at the file's end. */
  hashOnly?: boolean;
}

/**
 * Buffers of parts already parsed, to build new parts in: a part's buffer
 * goes to a parse worker and comes back with its answer, so reading a big
 * file allocates a few buffers instead of one per part (allocations that,
 * freed on another thread, leave the process holding memory it no longer uses).
 */
export class SegmentBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly keep = 8) {}

  /** A buffer of at least `bytes` bytes. */
  take(bytes: number): Uint8Array {
    for (let i = this.free.length - 1; i >= 0; i--) {
      if (this.free[i].byteLength >= bytes) return new Uint8Array(this.free.splice(i, 1)[0]);
    }
    return new Uint8Array(bytes);
  }

  /** A part's buffer, no longer read by anyone. */
  give(buffer: ArrayBuffer): void {
    // An empty one is a buffer handed on elsewhere (detached); small ones are not worth keeping.
    if (buffer.byteLength >= SEGMENT_BYTES && this.free.length < this.keep) this.free.push(buffer);
  }
}

/**
 * Cuts a stream of bytes into parts that end at line ends. Input chunks may
 * be reused by their source after `push`, so each byte is copied once, into
 * the part that is handed on (and owned by whoever takes it).
 */
export class Segmenter {
  private buf: Uint8Array;
  private len = 0;
  private target: number;
  /** No line end lies before this position in `buf` (a line longer than a part is being read). */
  private searched = 0;
  /** The first bytes of `buf` that belong to the part before (hashing in blocks): digested with the next part, not read again. */
  private skip = 0;
  /** The fingerprint's block size when hashing in blocks, else 0. */
  private block = 0;
  /** Inside a line too long to keep: its first characters, while the rest is passed over. */
  private dropping: string | null = null;

  /** Part sizes can be set smaller (tests cut small files into many parts). */
  constructor(
    firstBytes = FIRST_SEGMENT_BYTES,
    private readonly bytes = SEGMENT_BYTES,
    private readonly buffers = new SegmentBuffers(0),
  ) {
    this.target = firstBytes;
    this.buf = buffers.take(firstBytes + (1 << 16));
  }

  /**
   * Makes every part start at a boundary of the fingerprint's `blockBytes`
   * blocks (util/fingerprint.ts), carrying the end of one part (after its last
   * whole block) into the next, so each part's blocks can be digested where
   * the part is read and every byte is in exactly one digested block.
   * Before the first push only.
   */
  hashInBlocks(blockBytes: number): void {
    this.block = blockBytes;
  }

  *push(chunk: Uint8Array): Iterable<Segment> {
    let data = chunk;
    if (this.dropping !== null) {
      const nl = data.indexOf(NL);
      if (nl === -1) {
        yield* this.passOver(data);
        return;
      }
      yield* this.passOver(data.subarray(0, nl + 1));
      yield { bytes: new Uint8Array(0), overlong: this.dropping };
      this.dropping = null;
      data = data.subarray(nl + 1);
    }
    while (data.byteLength > 0) {
      // Fill the part being built up to its target, then cut it at its last line end.
      const room = Math.max(0, this.target - this.len);
      const take = Math.min(room, data.byteLength);
      this.append(data.subarray(0, take));
      data = data.subarray(take);
      if (this.len < this.target) return;
      // Only the bytes not searched yet can hold the last line end.
      const found = this.buf.subarray(this.searched, this.len).lastIndexOf(NL);
      const nl = found === -1 ? -1 : this.searched + found;
      if (nl === -1) {
        this.searched = this.len;
        if (this.len - this.skip > OVERLONG_BYTES) {
          this.dropping = new TextDecoder().decode(this.buf.subarray(this.skip, this.skip + 320)).slice(0, 80);
          yield* this.passOver(new Uint8Array(0));
          const end = data.indexOf(NL);
          if (end === -1) {
            yield* this.passOver(data);
            return;
          }
          yield* this.passOver(data.subarray(0, end + 1));
          yield { bytes: new Uint8Array(0), overlong: this.dropping };
          this.dropping = null;
          data = data.subarray(end + 1);
          continue;
        }
        // One line longer than a part: read on until it ends (growing, so a long line costs few rounds).
        this.target = this.len + Math.max(this.bytes, this.len - this.skip);
        continue;
      }
      // The part is handed on with its buffer (a worker may take it over at once), so what follows its
      // last line end (and, hashing in blocks, its bytes after its last whole block) moves to a new buffer
      // first, to start the next part.
      const cut = nl + 1;
      const whole = this.block === 0 ? cut : cut - (cut % this.block);
      const part: Segment = {
        bytes: this.buf.subarray(0, cut),
        overlong: null,
        ...(this.block === 0 ? {} : { hash: { skip: this.skip, bytes: whole } }),
      };
      const rest = this.buf.subarray(whole, this.len);
      this.buf = this.buffers.take(Math.max(this.bytes + this.block, rest.byteLength) + (1 << 16));
      this.buf.set(rest);
      this.len = rest.byteLength;
      this.skip = this.searched = cut - whole;
      this.target = this.skip + this.bytes;
      yield part;
    }
  }

  /** The rest, at the end of the stream: a last line without its line end. */
  *end(): Iterable<Segment> {
    const all = { skip: this.skip, bytes: this.len };
    if (this.dropping !== null) {
      yield { bytes: new Uint8Array(0), overlong: this.dropping };
      this.dropping = null;
      if (this.block !== 0 && this.len > 0)
        yield { bytes: this.buf.subarray(0, this.len), overlong: null, hash: all, hashOnly: true };
    } else if (this.len > this.skip) {
      yield { bytes: this.buf.subarray(0, this.len), overlong: null, ...(this.block === 0 ? {} : { hash: all }) };
    } else if (this.block !== 0 && this.len > 0) {
      // The end of the last part, after its last whole block.
      yield { bytes: this.buf.subarray(0, this.len), overlong: null, hash: all, hashOnly: true };
    }
    this.len = 0;
    this.skip = 0;
    this.searched = 0;
  }

  /** Whole lines held, not yet handed on as a part. */
  wholeLines(): number {
    let n = 0;
    for (let i = this.buf.indexOf(NL, this.skip); i !== -1 && i < this.len; i = this.buf.indexOf(NL, i + 1)) n++;
    return n;
  }

  /**
   * Bytes of a line too long to keep, not read: dropped, or when hashing in
   * blocks added to those held and digested block by block, so the buffer
   * then holds only what follows the last whole block.
   */
  private *passOver(data: Uint8Array): Iterable<Segment> {
    this.target = this.bytes;
    if (this.block === 0) {
      this.len = this.skip = this.searched = 0;
      return;
    }
    this.append(data);
    const whole = this.len - (this.len % this.block);
    if (whole > 0) {
      yield { bytes: this.buf.slice(0, whole), overlong: null, hash: { skip: whole, bytes: whole }, hashOnly: true };
      this.buf.copyWithin(0, whole, this.len);
      this.len -= whole;
    }
    this.skip = this.searched = this.len;
    this.target = this.skip + this.bytes;
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

/** The first part is the file header and one chunk, so the file shows soon what it holds; then 2 MiB parts. */
const EVTX_FIRST_BYTES = FILE_HEADER_BYTES + CHUNK_BYTES;
const EVTX_SEGMENT_BYTES = 32 * CHUNK_BYTES;

/**
 * Cuts an EVTX file into parts that end at chunk ends (each chunk holds its
 * own names and templates, so parts are read in parallel, like lines). The
 * last part may end inside a chunk, where the file does.
 */
export class ChunkSegmenter {
  private buf: Uint8Array;
  private len = 0;
  private offset = 0;
  private target = EVTX_FIRST_BYTES;

  constructor(
    private readonly buffers = new SegmentBuffers(0),
    private readonly bytes = EVTX_SEGMENT_BYTES,
  ) {
    this.buf = buffers.take(this.target);
  }

  *push(chunk: Uint8Array): Iterable<Segment> {
    let data = chunk;
    while (data.byteLength > 0) {
      const take = Math.min(this.target - this.len, data.byteLength);
      this.buf.set(data.subarray(0, take), this.len);
      this.len += take;
      data = data.subarray(take);
      if (this.len === this.target) yield this.cut();
    }
  }

  *end(): Iterable<Segment> {
    if (this.len > 0) yield this.cut();
  }

  /** Whole lines held: none, an EVTX file has no lines. */
  wholeLines(): number {
    return 0;
  }

  private cut(): Segment {
    const part: Segment = { bytes: this.buf.subarray(0, this.len), overlong: null, offset: this.offset };
    this.offset += this.len;
    this.len = 0;
    this.target = this.bytes;
    this.buf = this.buffers.take(this.target);
    return part;
  }
}
