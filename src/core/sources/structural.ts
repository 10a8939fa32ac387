/**
 * The structural index of a part of a CSV log, found in its bytes before any
 * of it is decoded: where each line ends, where the commas outside quotes
 * are, and which lines must be read the slow way (decoded whole and read by
 * csvLine.ts, as before): a line with a byte >= 0x80 (multi-byte or invalid
 * UTF-8), or with a quote that PapaParse could read otherwise than plain
 * quote parity does. On every other line, field i lies between commas i - 1
 * and i of the line, exactly as PapaParse reads it (tests/unit/csv-fields.test.ts).
 *
 * Found by a WebAssembly SIMD kernel (kernel/structural.ts, built into
 * structuralWasm.js by scripts/kernel.js). `scanJs` below is the same
 * algorithm a byte at a time: the kernel's definition, which the tests hold it
 * to. Where the kernel cannot run, there is no scanner, and parts are decoded
 * and read as text (ingest/segment.ts): a byte at a time in JavaScript is
 * slower than that (docs/benchmarks.md).
 */
import { structuralWasm } from './structuralWasm.js';

const QUOTE = 34;
const COMMA = 44;
const NL = 10;
/** The flag of a line entry: the line is read the slow way. */
export const SLOW = 0x80000000;
const POSITION = 0x7fffffff;

/** The index of one part; its arrays are reused by the next `index` call of the same scanner. */
export interface StructuralIndex {
  /** Lines ended by a line end. */
  lines: number;
  /** Per line ended, two numbers: its line end's position (| SLOW), and the count of commas before it. */
  table: Uint32Array;
  /** Positions of the commas outside quotes, in order. */
  commas: Uint32Array;
  commaCount: number;
  /** The text after the last line end (a last line without its line end) is to be read the slow way. */
  tailSlow: boolean;
}

export interface StructuralScanner {
  /** The index of `bytes`, or null for a part with more commas or lines than PAN-OS logs have (it is then read as text). */
  index(bytes: Uint8Array): StructuralIndex | null;
}

export function linePosition(entry: number): number {
  return entry & POSITION;
}

/** The index a byte at a time: the fallback, and the definition the kernel is tested against. */
export function scanJs(bytes: Uint8Array, out: { commas: Uint32Array; table: Uint32Array }): StructuralIndex {
  const len = bytes.length;
  let { commas, table } = out;
  let nc = 0;
  let lines = 0;
  let inside = false;
  let slow = false;
  for (let i = 0; i < len; i++) {
    const b = bytes[i];
    if (b === COMMA) {
      if (!inside) {
        if (nc === commas.length) commas = out.commas = grown(commas);
        commas[nc++] = i;
      }
    } else if (b === NL) {
      // A line end inside quotes: an unclosed quote; the next line starts outside quotes.
      if (inside) slow = true;
      inside = false;
      if (2 * lines + 2 > table.length) table = out.table = grown(table);
      table[2 * lines] = (i | (slow ? SLOW : 0)) >>> 0;
      table[2 * lines + 1] = nc;
      lines++;
      slow = false;
    } else if (b === QUOTE) {
      inside = !inside;
      if (inside) {
        // An opening quote must start a field, or be the second of a doubled quote.
        const before = i === 0 ? COMMA : bytes[i - 1];
        if (before !== COMMA && before !== NL && before !== QUOTE) slow = true;
      } else {
        // A closing quote must end a field or the line, or be the first of a doubled quote.
        const after = i + 1 === len ? NL : bytes[i + 1];
        if (after !== COMMA && after !== NL && after !== QUOTE) slow = true;
      }
    } else if (b >= 0x80) {
      slow = true;
    }
  }
  return { lines, table, commas, commaCount: nc, tailSlow: slow || inside };
}

function grown(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(Math.max(1024, a.length * 2));
  b.set(a);
  return b;
}

/**
 * WebAssembly as far as it is used here. Core's TypeScript sees no platform
 * (src/core/tsconfig.json), and Node's types do not declare it, so it is
 * looked up on the global object, where browsers, workers and Node all have it.
 */
interface Wasm {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
interface WasmModule {
  readonly kind?: 'module';
}

interface KernelExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  base(): number;
  commaCount(): number;
  tailIsSlow(): number;
  scan(input: number, len: number, commaOut: number, commaRoom: number, lineOut: number, lineRoom: number): number;
}

const PAGE = 65536;

class WasmScanner implements StructuralScanner {
  private readonly k: KernelExports;
  private readonly base: number;

  constructor(wasm: Wasm, module: WasmModule) {
    this.k = new wasm.Instance(module, {}).exports as KernelExports;
    this.base = this.k.base();
  }

  index(bytes: Uint8Array): StructuralIndex | null {
    const len = bytes.length;
    // PAN-OS lines are about a kilobyte with a hundred commas: room for a comma every fourth byte and a
    // line every 64 is plenty, and keeps the module's memory to about twice a part (it never shrinks).
    const lines = this.run(bytes, (len >> 2) + 1024, (len >> 6) + 1024);
    if (lines < 0) return null;
    const { k } = this;
    const at = this.layout(len, 0, 0);
    const buffer = k.memory.buffer;
    return {
      lines,
      table: new Uint32Array(buffer, at.lineOut, 2 * lines),
      commas: new Uint32Array(buffer, at.commaOut, k.commaCount()),
      commaCount: k.commaCount(),
      tailSlow: k.tailIsSlow() !== 0,
    };
  }

  private commaRoom = 0;
  private lineRoom = 0;

  private layout(len: number, commaRoom: number, lineRoom: number): { commaOut: number; lineOut: number; top: number } {
    if (commaRoom > 0) {
      this.commaRoom = commaRoom;
      this.lineRoom = lineRoom;
    }
    const padded = (len + 63) & ~63;
    const commaOut = this.base + padded;
    const lineOut = commaOut + 4 * this.commaRoom;
    return { commaOut, lineOut, top: lineOut + 8 * this.lineRoom };
  }

  private run(bytes: Uint8Array, commaRoom: number, lineRoom: number): number {
    const { k } = this;
    const len = bytes.length;
    const at = this.layout(len, commaRoom, lineRoom);
    const have = k.memory.buffer.byteLength;
    if (at.top > have) k.memory.grow(Math.ceil((at.top - have) / PAGE));
    const mem = new Uint8Array(k.memory.buffer);
    mem.set(bytes, this.base);
    // The kernel reads whole blocks of 64: what follows the part up to the next block is zero, which is no structure.
    mem.fill(0, this.base + len, at.commaOut);
    return k.scan(this.base, len, at.commaOut, commaRoom, at.lineOut, lineRoom);
  }
}

const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;
let compiled: WasmModule | null | undefined;

/** The kernel compiled, or null where WebAssembly or its SIMD is missing (or a policy forbids compiling it). */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = wasm !== undefined ? new wasm.Module(structuralWasm) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

let useKernel = true;

/** Tests turn the kernel off, to hold the fallback (parts read as text) to the same results; on, it is used where it runs. */
export function setKernelUsed(on: boolean): void {
  useKernel = on;
}

/** A scanner for one parser (the kernel's own instance and memory), or null where the kernel does not run. */
export function structuralScanner(): StructuralScanner | null {
  const module = useKernel ? kernelModule() : null;
  return module !== null && wasm !== undefined ? new WasmScanner(wasm, module) : null;
}
