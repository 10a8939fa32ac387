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

/** A value put together from text and substitutions (an element's content, or an attribute's value). */
type Parts = (string | TSubst)[];

/**
 * What a record needs of its event (docs/sources.md "EVTX"), found once per
 * template: where the System fields and each EventData entry come from.
 * Records then read those values and build no XML. Null for a template of
 * another shape (UserData, names given by substitution, nested templates or
 * elements where text is expected), whose records are read as XML.
 */
interface Plan {
  provider: Parts;
  eventId: Parts;
  systemTime: Parts;
  computer: Parts;
  channel: Parts;
  /** EventData's entries: a `Data` element's Name (empty when it has none) or another element's name, and its content. */
  data: DataPlan;
  /**
   * Substitutions among the event's children: Windows puts EventData there as
   * BinXML, itself one template instance (planned alike: dataPlanOf).
   */
  nested: number[];
}

type DataPlan = { name: string; content: Parts }[];

/** The fields of an event as both ways of reading it give them. */
export interface EventFields {
  provider: string;
  eventId: string;
  systemTime: string;
  computer: string;
  channel: string;
  /** EventData or UserData entries in order: [name, value], with `Data` elements named by their Name (empty when they have none). */
  data: [name: string, value: string][];
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

function elementChild(nodes: readonly TNode[], name: string): TElement | undefined {
  for (const n of nodes) if (typeof n !== 'string' && n.k === 'e' && n.name === name) return n;
  return undefined;
}

/** Nodes that are only text and substitutions, as parts; null otherwise. */
function partsOf(nodes: readonly TNode[] | undefined): Parts | null {
  if (nodes === undefined) return [];
  const out: Parts = [];
  for (const n of nodes) {
    if (typeof n !== 'string' && n.k !== 's') return null;
    out.push(n);
  }
  return out;
}

function attrParts(el: TElement | undefined, name: string): Parts | null {
  return partsOf(el?.attrs.find((a) => a.name === name)?.value);
}

/** The plan of a template whose event has the usual shape (see Plan); null otherwise. */
function planOf(template: readonly TNode[]): Plan | null {
  const roots = template.filter((n) => typeof n !== 'string');
  if (roots.length !== 1 || roots[0].k !== 'e' || roots[0].name !== 'Event') return null;
  const event = roots[0];
  const system = elementChild(event.children, 'System');
  if (system === undefined || elementChild(event.children, 'UserData') !== undefined) return null;
  const parts = [
    attrParts(elementChild(system.children, 'Provider'), 'Name'),
    partsOf(elementChild(system.children, 'EventID')?.children),
    attrParts(elementChild(system.children, 'TimeCreated'), 'SystemTime'),
    partsOf(elementChild(system.children, 'Computer')?.children),
    partsOf(elementChild(system.children, 'Channel')?.children),
  ];
  const [provider, eventId, systemTime, computer, channel] = parts;
  if (provider === null || eventId === null || systemTime === null || computer === null || channel === null) return null;
  const eventData = elementChild(event.children, 'EventData');
  const data = eventData === undefined ? [] : entriesOf(eventData);
  const nested: number[] = [];
  for (const n of event.children) {
    if (typeof n === 'string' || n.k === 'e') continue;
    if (n.k !== 's') return null;
    nested.push(n.index);
  }
  return data === null ? null : { provider, eventId, systemTime, computer, channel, data, nested };
}

/** An EventData element's entries, each a name and text-and-substitution content; null for another shape. */
function entriesOf(eventData: TElement): DataPlan | null {
  const data: DataPlan = [];
  for (const n of eventData.children) {
    if (typeof n === 'string') continue;
    if (n.k !== 'e') return null;
    const content = partsOf(n.children);
    const name = n.name === 'Data' ? attrParts(n, 'Name') : [n.name];
    if (content === null || name === null || name.some((p) => typeof p !== 'string')) return null;
    data.push({ name: name.join(''), content });
  }
  return data;
}

/** The plan of a template that is one EventData element (what Windows substitutes into an event); null otherwise. */
function dataPlanOf(template: readonly TNode[]): DataPlan | null {
  const roots = template.filter((n) => typeof n !== 'string');
  if (roots.length !== 1 || roots[0].k !== 'e' || roots[0].name !== 'EventData') return null;
  return entriesOf(roots[0]);
}

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

  private readonly plans = new Map<TNode[], Plan | null>();
  private readonly dataPlans = new Map<TNode[], DataPlan | null>();

  /**
   * The fields of the event in `[start, end)` of the chunk, read through its
   * template's plan; null when the record is not one template instance of a
   * planned shape, or a value is itself BinXML (then `element` reads it).
   */
  fields(start: number, end: number): EventFields | null {
    this.depth = 0;
    const nodes = this.fragment(start, end);
    if (nodes.length !== 1 || typeof nodes[0] === 'string' || nodes[0].k !== 'i') return null;
    const { template, values } = nodes[0];
    let plan = this.plans.get(template);
    if (plan === undefined) {
      plan = planOf(template);
      this.plans.set(template, plan);
    }
    if (plan === null) return null;
    const data: [string, string][] = [];
    if (!this.entries(plan.data, values, data)) return null;
    for (const index of plan.nested) {
      const v = values[index];
      if (v === undefined || v.type !== T_BINXML) continue;
      // Only one EventData: a second one the XML path would pass over.
      if (plan.data.length > 0 || plan.nested.length > 1) return null;
      const inner = this.fragment(v.at, v.at + v.size);
      if (inner.length !== 1 || typeof inner[0] === 'string' || inner[0].k !== 'i') return null;
      let dataPlan = this.dataPlans.get(inner[0].template);
      if (dataPlan === undefined) {
        dataPlan = dataPlanOf(inner[0].template);
        this.dataPlans.set(inner[0].template, dataPlan);
      }
      if (dataPlan === null || !this.entries(dataPlan, inner[0].values, data)) return null;
    }
    const provider = this.text(plan.provider, values);
    const eventId = this.text(plan.eventId, values);
    const systemTime = this.text(plan.systemTime, values);
    const computer = this.text(plan.computer, values);
    const channel = this.text(plan.channel, values);
    if (provider === null || eventId === null || systemTime === null || computer === null || channel === null) return null;
    return { provider, eventId, systemTime, computer, channel, data };
  }

  /** EventData entries under `values` into `out`; false when a value is BinXML. */
  private entries(plan: DataPlan, values: readonly Value[], out: [string, string][]): boolean {
    for (const d of plan) {
      const content = this.text(d.content, values);
      if (content === null) return false;
      // An element that is only an optional substitution with no value is left out, as `expand` leaves it out.
      if (content === '' && d.content.length === 1 && isOptional(d.content[0])) continue;
      out.push([d.name, content]);
    }
    return true;
  }

  /** Parts' text under `values`; null when a value is BinXML. */
  private text(parts: Parts, values: readonly Value[]): string | null {
    let s = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        s += p;
        continue;
      }
      const v = values[p.index];
      if (v === undefined || v.type === T_NULL) continue;
      if (v.type === T_BINXML) return null;
      s += valueText(this.bytes, this.view, v.type, v.at, v.size);
    }
    return s;
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
