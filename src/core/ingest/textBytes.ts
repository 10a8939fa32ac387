/**
 * A text file's bytes as the segmenter is to cut them: UTF-16 turned into
 * UTF-8 (the parse workers decode UTF-8 only), and Windows event XML written
 * with no line end between its events (the Event Viewer's export, wevtutil)
 * given one after each event, so a file of many thousand events is many lines
 * instead of one too long to read.
 */

/** How many bytes of a file tell whether it is Windows event XML. */
const HEAD_BYTES = 64;
const END_EVENT = [0x3c, 0x2f, 0x45, 0x76, 0x65, 0x6e, 0x74, 0x3e]; // </Event>
const LT = 0x3c;
const NL = 0x0a;
const CR = 0x0d;

/**
 * The UTF-16 encoding of a file's first bytes: by its byte order mark, or
 * (without one) a NUL beside nearly every byte, as ASCII text in UTF-16 is;
 * null for any other file.
 */
function utf16Encoding(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = head.length >> 1;
  if (pairs < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0 && head[i + 1] !== 0) even++;
    if (head[i + 1] === 0 && head[i] !== 0) odd++;
  }
  if (odd >= pairs * 0.9) return 'utf-16le';
  return even >= pairs * 0.9 ? 'utf-16be' : null;
}

/** UTF-16 bytes as UTF-8, as they stream in: a unit cut at a chunk's end is held for the next; a byte order mark is dropped. */
class Utf16ToUtf8 {
  private readonly decoder: { decode(input?: Uint8Array, options?: { stream?: boolean }): string };
  private readonly encoder = new TextEncoder();

  constructor(encoding: 'utf-16le' | 'utf-16be') {
    this.decoder = new TextDecoder(encoding);
  }

  push(bytes: Uint8Array): Uint8Array {
    return this.encoder.encode(this.decoder.decode(bytes, { stream: true }));
  }

  end(): Uint8Array {
    return this.encoder.encode(this.decoder.decode());
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Whether the UTF-8 text opening `head` (after a byte order mark and white space) is XML: `<?xml`, `<Events`, `<Event`. */
function opensXml(head: Uint8Array): boolean {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === NL || head[i] === CR || head[i] === 9)) i++;
  const text = String.fromCharCode(...head.subarray(i, i + 6));
  return text.startsWith('<?xml') || text.startsWith('<Event');
}

/** Whether `</Event>` is at `at` of `data`, as far as `data` goes (`partial`: a prefix of it at the end counts). */
function endEventAt(data: Uint8Array, at: number, partial: boolean): boolean {
  for (let k = 0; k < END_EVENT.length; k++) {
    if (at + k >= data.length) return partial;
    if (data[at + k] !== END_EVENT[k]) return false;
  }
  return true;
}

/** Puts a line end after each `</Event>` not already followed by one; a tag cut at a chunk's end is held for the next. */
class EventLineBreaks {
  private carry: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array {
    const data = concat(this.carry, chunk);
    const breaks: number[] = [];
    let hold = data.length;
    for (let i = data.indexOf(LT); i !== -1; i = data.indexOf(LT, i + 1)) {
      if (!endEventAt(data, i, true)) continue;
      const after = i + END_EVENT.length;
      if (after >= data.length) {
        // Cut at the chunk's end, or the byte after it not here yet.
        hold = i;
        break;
      }
      if (data[after] !== NL && data[after] !== CR) breaks.push(after);
      i = after - 1;
    }
    this.carry = data.slice(hold);
    if (breaks.length === 0) return data.subarray(0, hold);
    const out = new Uint8Array(hold + breaks.length);
    let from = 0;
    let to = 0;
    for (const b of breaks) {
      out.set(data.subarray(from, b), to);
      to += b - from;
      out[to++] = NL;
      from = b;
    }
    out.set(data.subarray(from, hold), to);
    return out;
  }

  end(): Uint8Array {
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    return rest;
  }
}

/** A file's bytes, plain (after any gunzip), as text for the segmenter. */
export class TextBytes {
  private utf16: Utf16ToUtf8 | null = null;
  private breaks: EventLineBreaks | null = null;
  /** The first bytes, held until they show whether the file is Windows event XML. */
  private head: Uint8Array | null = new Uint8Array(0);

  /** Whether the file is UTF-16 (known from its first chunk). */
  get isUtf16(): boolean {
    return this.utf16 !== null;
  }

  /**
   * Whether what came out so far is the file's bytes unchanged (neither
   * UTF-16 nor event XML); settled once anything has come out.
   */
  get unchanged(): boolean {
    return this.utf16 === null && this.head === null && this.breaks === null;
  }

  /** The file's next bytes; its first chunk decides whether it is UTF-16. */
  push(bytes: Uint8Array, first: boolean): Uint8Array {
    if (first) {
      const encoding = utf16Encoding(bytes.subarray(0, 4096));
      if (encoding !== null) this.utf16 = new Utf16ToUtf8(encoding);
    }
    return this.lines(this.utf16 === null ? bytes : this.utf16.push(bytes), false);
  }

  /** What is held back, at the file's end. */
  end(): Uint8Array {
    const last = this.lines(this.utf16?.end() ?? new Uint8Array(0), true);
    return this.breaks === null ? last : concat(last, this.breaks.end());
  }

  private lines(text: Uint8Array, end: boolean): Uint8Array {
    if (this.head !== null) {
      const head = concat(this.head, text);
      if (head.length < HEAD_BYTES && !end) {
        // Kept across the next chunk, which may reuse its buffer.
        this.head = head.slice();
        return new Uint8Array(0);
      }
      this.head = null;
      if (opensXml(head)) this.breaks = new EventLineBreaks();
      text = head;
    }
    return this.breaks === null ? text : this.breaks.push(text);
  }
}
