import { spawnSync } from 'node:child_process';
import { readEvtxPart, type EvtxDamage, type EvtxRecord } from '../../src/core/evtx/read';

/** What the differential test compares of a record: the same for both readers. */
export interface Compared {
  recordId: number;
  eventId: number;
  systemTime: string;
  computer: string;
  provider: string;
  channel: string;
  data: Record<string, string>;
}

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: (Node | string)[];
}

const ENTITY: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITY[e],
  );
}

/** A tiny XML reader for evtxexport's output (tags, attributes, text): enough for what it writes. */
function parseEvent(xml: string): Node {
  const root: Node = { name: '', attrs: {}, children: [] };
  const stack: Node[] = [root];
  const re = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      top.children.push(unescape(m[5]));
    } else if (m[1] === '/') {
      stack.pop();
    } else {
      const el: Node = { name: m[2], attrs: {}, children: [] };
      for (const a of m[3].matchAll(/([\w:.-]+)="([^"]*)"/g)) el.attrs[a[1]] = unescape(a[2]);
      top.children.push(el);
      if (m[4] !== '/') stack.push(el);
    }
  }
  const ev = root.children.find((c): c is Node => typeof c !== 'string');
  if (ev === undefined) throw new Error(`no element in ${xml.slice(0, 200)}`);
  return ev;
}

function kid(n: Node | undefined, name: string): Node | undefined {
  return n?.children.find((c): c is Node => typeof c !== 'string' && c.name === name);
}

function text(n: Node | undefined): string {
  if (n === undefined) return '';
  // Indentation between child elements is evtxexport's, not the event's.
  if (n.children.some((c) => typeof c !== 'string')) return '';
  return n.children.join('');
}

function userData(n: Node, prefix: string, out: Record<string, string>): void {
  for (const c of n.children) {
    if (typeof c === 'string') continue;
    if (c.children.some((x) => typeof x !== 'string')) userData(c, `${prefix}${c.name}/`, out);
    else {
      const key = prefix + c.name;
      out[key] = Object.hasOwn(out, key) ? `${out[key]}\n${text(c)}` : text(c);
    }
  }
}

function compared(ev: Node): Compared {
  const system = kid(ev, 'System');
  const data = Object.create(null) as Record<string, string>;
  const eventData = kid(ev, 'EventData');
  const user = kid(ev, 'UserData');
  if (eventData !== undefined) {
    let unnamed = 0;
    for (const c of eventData.children) {
      if (typeof c === 'string') continue;
      const name = c.name === 'Data' ? (c.attrs.Name ?? '') : c.name;
      const key = name === '' ? `Data[${++unnamed}]` : name;
      // evtxexport writes an array as one element per item; both sides join them a line apart.
      data[key] = Object.hasOwn(data, key) ? `${data[key]}\n${text(c)}` : text(c);
    }
  } else if (user !== undefined) {
    for (const c of user.children) if (typeof c !== 'string') userData(c, '', data);
  }
  return {
    recordId: Number(text(kid(system, 'EventRecordID'))),
    eventId: Number(text(kid(system, 'EventID'))),
    systemTime: kid(system, 'TimeCreated')?.attrs.SystemTime ?? '',
    computer: text(kid(system, 'Computer')),
    provider: kid(system, 'Provider')?.attrs.Name ?? '',
    channel: text(kid(system, 'Channel')),
    data,
  };
}

/** The records `evtxexport -f xml -m MODE` reads from `file` (`items`: the allocated ones; `recovered`: the rest it finds). */
export function evtxexport(file: string, mode: 'items' | 'recovered' = 'items'): Compared[] {
  const run = spawnSync('evtxexport', ['-f', 'xml', '-m', mode, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error !== undefined || run.status !== 0)
    throw new Error(
      `evtxexport failed on ${file} (${run.error?.message ?? `exit ${run.status}`}): is Debian's libevtx-utils installed? ${run.stderr}`,
    );
  const events = run.stdout.split(/\n(?=<Event[ >])/).filter((s) => s.startsWith('<Event'));
  return events.map((e) => compared(parseEvent(e)));
}

/** What our reader reads from `bytes`, whole (one part at offset 0), with the damage it reports. */
export function ours(bytes: Uint8Array): { records: (Compared & { offset: number })[]; damage: EvtxDamage[] } {
  const records: (Compared & { offset: number })[] = [];
  const damage: EvtxDamage[] = [];
  readEvtxPart(bytes, 0, {
    record: (r: EvtxRecord) =>
      records.push({
        recordId: r.recordId,
        eventId: r.eventId,
        systemTime: r.systemTime,
        computer: r.computer,
        provider: r.provider,
        channel: r.channel,
        data: r.data,
        offset: r.offset,
      }),
    damage: (d) => damage.push(d),
  });
  return { records, damage };
}

/** A record without where it was read, for comparing with evtxexport's. */
export function withoutOffset(r: Compared & { offset: number }): Compared {
  const { offset: _, ...rest } = r;
  return rest;
}
