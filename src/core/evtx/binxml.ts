import { EvtxError, T_BINXML, T_NULL, utf16, valueText } from './values';

/**
 * BinXML (MS-EVEN6 2.2.12) as it sits in one EVTX chunk. Every offset in it
 * (names, templates) is from the chunk's start, so a chunk is read on its
 * own: its names and templates are cached here, per chunk. A template is
 * parsed once into nodes with substitution slots, then each record that uses
 * it fills the slots with its values.
 */

/** An element of a record's XML, substitutions filled in. */
export interface XElement {
  name: string;
  attrs: [string, string][];
  children: (XElement | string)[];
}

type TNode = TElement | string | TSubst | TInstance;

interface TElement {
  k: 'e';
  name: string;
  attrs: { name: string; value: TNode[] }[];
  children: TNode[];
}

interface TSubst {
  k: 's';
  index: number;
  /** An optional substitution (0x0e): left out, attribute and all, when its value is empty. */
  optional: boolean;
}

interface TInstance {
  k: 'i';
  template: TNode[];
  values: Value[];
}

interface Value {
  type: number;
  at: number;
  size: number;
}

const TOK_EOF = 0x00;
const TOK_OPEN = 0x01;
const TOK_CLOSE_START = 0x02;
const TOK_CLOSE_EMPTY = 0x03;
const TOK_END = 0x04;
const TOK_VALUE = 0x05;
const TOK_ATTRIBUTE = 0x06;
const TOK_CDATA = 0x07;
const TOK_CHARREF = 0x08;
const TOK_ENTITYREF = 0x09;
const TOK_PI_TARGET = 0x0a;
const TOK_PI_DATA = 0x0b;
const TOK_TEMPLATE = 0x0c;
const TOK_SUBST = 0x0d;
const TOK_OPTIONAL_SUBST = 0x0e;
const TOK_FRAGMENT = 0x0f;
/** The "more data" bit some tokens carry (an element with attributes, an attribute not the last). */
const MORE = 0x40;

/** Nested BinXML and templates within templates go no deeper than this: a damaged chunk cannot recurse without end. */
const MAX_DEPTH = 32;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isOptional(n: TNode): boolean {
  return typeof n !== 'string' && n.k === 's' && n.optional;
}

/** One chunk's BinXML: `bytes` is the chunk (64 KB, or less where a file is cut short). */
export class ChunkXml {
  private readonly view: DataView;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TNode[] | null>();
  private p = 0;
  private end = 0;
  private depth = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The XML of the BinXML in `[start, end)` of the chunk (a record's event), substitutions filled in. */
  element(start: number, end: number): XElement {
    this.depth = 0;
    const nodes = this.fragment(start, end);
    const out: (XElement | string)[] = [];
    this.expand(nodes, [], out);
    for (const n of out) if (typeof n !== 'string') return n;
    throw new EvtxError('an event without an element');
  }

  private fragment(start: number, end: number): TNode[] {
    if (++this.depth > MAX_DEPTH) throw new EvtxError('BinXML nested too deep');
    const savedP = this.p;
    const savedEnd = this.end;
    this.p = start;
    this.end = end;
    const out: TNode[] = [];
    try {
      this.nodes(out, false);
    } finally {
      this.p = savedP;
      this.end = savedEnd;
      this.depth--;
    }
    return out;
  }

  private need(n: number): void {
    if (this.p + n > this.end) throw new EvtxError(`BinXML runs past its end at chunk offset ${this.p}`);
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.p++];
  }

  private u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.p, true);
    this.p += 2;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.p, true);
    this.p += 4;
    return v;
  }

  /** Tokens up to the end of the fragment, or (`inElement`) the end of the element they are the content of. */
  private nodes(out: TNode[], inElement: boolean): void {
    while (this.p < this.end) {
      const tok = this.u8();
      switch (tok & ~MORE) {
        case TOK_EOF:
          if (inElement) throw new EvtxError(`BinXML ends inside an element at chunk offset ${this.p - 1}`);
          return;
        case TOK_END:
          if (!inElement) throw new EvtxError(`an end of element outside one at chunk offset ${this.p - 1}`);
          return;
        case TOK_OPEN:
          out.push(this.openElement(tok));
          break;
        case TOK_FRAGMENT:
          this.need(3);
          this.p += 3;
          break;
        case TOK_TEMPLATE:
          out.push(this.instance());
          break;
        case TOK_PI_TARGET:
          this.name();
          break;
        case TOK_PI_DATA:
          this.p += 2 * this.u16();
          break;
        default:
          this.p--;
          if (!this.content(out)) throw new EvtxError(`an unknown BinXML token 0x${tok.toString(16)} at chunk offset ${this.p}`);
      }
    }
    if (inElement) throw new EvtxError('BinXML ends inside an element');
  }

  /** A value-like token (text, character, entity, substitution) into `out`; false when the next token is not one. */
  private content(out: TNode[]): boolean {
    const tok = this.bytes[this.p] & ~MORE;
    switch (tok) {
      case TOK_VALUE: {
        this.p++;
        const type = this.u8();
        if (type !== 1) throw new EvtxError(`a BinXML value of type 0x${type.toString(16)}`);
        const n = this.u16();
        this.need(2 * n);
        out.push(utf16(this.bytes, this.p, this.p + 2 * n));
        this.p += 2 * n;
        return true;
      }
      case TOK_CDATA: {
        this.p++;
        const n = this.u16();
        this.need(2 * n);
        out.push(utf16(this.bytes, this.p, this.p + 2 * n));
        this.p += 2 * n;
        return true;
      }
      case TOK_CHARREF:
        this.p++;
        out.push(String.fromCharCode(this.u16()));
        return true;
      case TOK_ENTITYREF: {
        this.p++;
        const name = this.name();
        out.push(ENTITIES[name] ?? `&${name};`);
        return true;
      }
      case TOK_SUBST:
      case TOK_OPTIONAL_SUBST: {
        this.p++;
        const index = this.u16();
        this.u8(); // the type is the value's own, given with the record's values
        out.push({ k: 's', index, optional: tok === TOK_OPTIONAL_SUBST });
        return true;
      }
      default:
        return false;
    }
  }

  private openElement(tok: number): TElement {
    this.need(10);
    // Dependency identifier (2 bytes) and the element's data size (4): neither is needed to read it.
    this.p += 6;
    const name = this.name();
    const el: TElement = { k: 'e', name, attrs: [], children: [] };
    if (tok & MORE) {
      const size = this.u32();
      const attrEnd = this.p + size;
      if (attrEnd > this.end) throw new EvtxError(`an attribute list runs past its end at chunk offset ${this.p}`);
      while (this.p < attrEnd) {
        const a = this.u8();
        if ((a & ~MORE) !== TOK_ATTRIBUTE)
          throw new EvtxError(`not an attribute (0x${a.toString(16)}) at chunk offset ${this.p - 1}`);
        const attr = { name: this.name(), value: [] as TNode[] };
        while (this.p < attrEnd && this.content(attr.value));
        el.attrs.push(attr);
      }
    }
    const close = this.u8();
    if (close === TOK_CLOSE_START) this.nodes(el.children, true);
    else if (close !== TOK_CLOSE_EMPTY)
      throw new EvtxError(`an element not closed (0x${close.toString(16)}) at chunk offset ${this.p - 1}`);
    return el;
  }

  /** A name: an offset into the chunk, with the name itself following when it is defined here. */
  private name(): string {
    const at = this.u32();
    if (at === this.p) {
      this.need(8);
      const count = this.view.getUint16(this.p + 6, true);
      this.need(8 + 2 * count + 2);
      this.p += 8 + 2 * count + 2;
    }
    return this.nameAt(at);
  }

  private nameAt(at: number): string {
    const known = this.names.get(at);
    if (known !== undefined) return known;
    if (at < 512 || at + 8 > this.bytes.length) throw new EvtxError(`a name offset ${at} outside the chunk`);
    const count = this.view.getUint16(at + 6, true);
    if (at + 8 + 2 * count > this.bytes.length) throw new EvtxError(`a name at chunk offset ${at} runs past the chunk`);
    const name = utf16(this.bytes, at + 8, at + 8 + 2 * count);
    if (name.length !== count || !/^[A-Za-z_][\w.:-]*$/.test(name)) throw new EvtxError(`a damaged name at chunk offset ${at}`);
    this.names.set(at, name);
    return name;
  }

  private instance(): TInstance {
    this.need(9);
    this.p += 5; // a byte, and the template's identifier (the first 4 bytes of its GUID)
    const at = this.u32();
    if (at === this.p) {
      this.need(24);
      const size = this.view.getUint32(this.p + 20, true);
      this.need(24 + size);
      this.p += 24 + size;
    }
    const template = this.template(at);
    const count = this.u32();
    this.need(4 * count);
    const values: Value[] = [];
    let valueAt = this.p + 4 * count;
    for (let i = 0; i < count; i++) {
      const size = this.view.getUint16(this.p + 4 * i, true);
      const type = this.bytes[this.p + 4 * i + 2];
      values.push({ type, at: valueAt, size });
      valueAt += size;
    }
    this.p = valueAt;
    if (valueAt > this.end) throw new EvtxError(`a template's values run past their end at chunk offset ${this.p}`);
    return { k: 'i', template, values };
  }

  private template(at: number): TNode[] {
    const known = this.templates.get(at);
    if (known === null) throw new EvtxError(`a template at chunk offset ${at} that uses itself`);
    if (known !== undefined) return known;
    if (at < 512 || at + 24 > this.bytes.length) throw new EvtxError(`a template offset ${at} outside the chunk`);
    const size = this.view.getUint32(at + 20, true);
    if (at + 24 + size > this.bytes.length) throw new EvtxError(`a template at chunk offset ${at} runs past the chunk`);
    this.templates.set(at, null);
    try {
      const nodes = this.fragment(at + 24, at + 24 + size);
      this.templates.set(at, nodes);
      return nodes;
    } catch (e) {
      this.templates.delete(at);
      throw e;
    }
  }

  /** Template nodes to XML, `values` filling their substitutions. */
  private expand(nodes: readonly TNode[], values: readonly Value[], out: (XElement | string)[]): void {
    for (const n of nodes) {
      if (typeof n === 'string') {
        out.push(n);
      } else if (n.k === 'e') {
        const el: XElement = { name: n.name, attrs: [], children: [] };
        for (const a of n.attrs) {
          const parts: (XElement | string)[] = [];
          this.expand(a.value, values, parts);
          // An attribute whose value is only substitutions that are empty is left out (`<Security/>`, not `UserID=""`).
          if (parts.length === 0 && a.value.length > 0) continue;
          el.attrs.push([a.name, parts.filter((p) => typeof p === 'string').join('')]);
        }
        this.expand(n.children, values, el.children);
        // An element that is only an optional substitution with no value is left out, as evtxexport leaves it out.
        if (el.children.length === 0 && n.children.length === 1 && isOptional(n.children[0])) continue;
        out.push(el);
      } else if (n.k === 's') {
        const v = values[n.index];
        if (v === undefined || v.type === T_NULL) continue;
        if (v.type === T_BINXML) {
          if (++this.depth > MAX_DEPTH) throw new EvtxError('BinXML nested too deep');
          try {
            this.expand(this.fragment(v.at, v.at + v.size), [], out);
          } finally {
            this.depth--;
          }
          continue;
        }
        const text = valueText(this.bytes, this.view, v.type, v.at, v.size);
        if (text !== '' || !n.optional) out.push(text);
      } else {
        if (++this.depth > MAX_DEPTH) throw new EvtxError('templates nested too deep');
        try {
          this.expand(n.template, n.values, out);
        } finally {
          this.depth--;
        }
      }
    }
  }
}
