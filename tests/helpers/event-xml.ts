/**
 * A strict reading of XML elements, for checking the generated Windows event
 * XML without any reader of the product: element and attribute names by the
 * XML grammar, attribute values quoted, `<` never in text or values, `&` only
 * as one of the five predefined entities or a character reference, every
 * element closed in order. It throws, naming the offset, on anything else.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities resolved), its children's left out. */
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9._:-]*/;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', apos: "'", quot: '"' };

function unescape(s: string, at: number): string {
  if (s.includes('<')) throw new Error(`"<" in text or a value at ${at}`);
  return s.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`"&" without ";" at ${at}`);
    if (name in ENTITIES) return ENTITIES[name];
    const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(name);
    if (m === null) throw new Error(`unknown entity &${name}; at ${at}`);
    return String.fromCodePoint(m[1] === undefined ? Number(m[2]) : parseInt(m[1], 16));
  });
}

/** The elements at the top of `text` (one or more, with only white space between them). */
export function parseXmlElements(text: string): XmlElement[] {
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    if (stack.length === 0) {
      if (chunk.trim() !== '') throw new Error(`text outside an element at ${i}`);
    } else {
      stack[stack.length - 1].text += unescape(chunk, i);
    }
    if (lt === -1) break;
    const gt = text.indexOf('>', lt);
    if (gt === -1) throw new Error(`unclosed tag at ${lt}`);
    const tag = text.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (open === undefined || open.name !== tag.slice(1))
        throw new Error(`</${tag.slice(1)}> does not close an open element at ${lt}`);
    } else {
      const empty = tag.endsWith('/');
      let body = empty ? tag.slice(0, -1) : tag;
      const name = NAME.exec(body)?.[0];
      if (name === undefined) throw new Error(`bad element name at ${lt}`);
      body = body.slice(name.length);
      const el: XmlElement = { name, attributes: {}, children: [], text: '' };
      while (body.trim() !== '') {
        const m = /^\s+([A-Za-z_][A-Za-z0-9._:-]*)=(?:'([^']*)'|"([^"]*)")/.exec(body);
        if (m === null) throw new Error(`bad attribute in <${name}> at ${lt}: ${body}`);
        if (m[1] in el.attributes) throw new Error(`attribute ${m[1]} twice in <${name}> at ${lt}`);
        el.attributes[m[1]] = unescape(m[2] ?? m[3], lt);
        body = body.slice(m[0].length);
      }
      if (stack.length === 0) roots.push(el);
      else stack[stack.length - 1].children.push(el);
      if (!empty) stack.push(el);
    }
    i = gt + 1;
  }
  if (stack.length !== 0) throw new Error(`<${stack[stack.length - 1].name}> is not closed`);
  return roots;
}

export function child(el: XmlElement, name: string): XmlElement {
  const c = el.children.find((x) => x.name === name);
  if (c === undefined) throw new Error(`<${el.name}> has no <${name}>`);
  return c;
}
