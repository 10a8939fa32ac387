import type { ReaderContext } from './format';

/**
 * A record that spans lines (a Windows event in pretty-printed XML, a CSV row
 * whose quoted field holds a line break), kept line by line until it ends:
 * joining at each line would copy it again each time.
 */
export class PendingRecord {
  private parts: string[] = [];
  private chars = 0;
  /** The line it began on, counted in the part being read: 0 or less when it began in an earlier part. */
  start = 0;
  /** The last line the reader was given, blank ones included. */
  private lastLine = 0;

  /** A line was read (`seen`) or was blank: a blank line inside the record is an empty line of it. */
  seen(line: number): void {
    this.lastLine = line;
  }

  blank(line: number): void {
    this.lastLine = line;
    if (this.open) this.add('');
  }

  get open(): boolean {
    return this.parts.length > 0;
  }

  /** Its length in characters, line ends included. */
  get length(): number {
    return this.chars;
  }

  begin(text: string, line: number): void {
    this.parts = [text];
    this.chars = text.length;
    this.start = line;
  }

  /** The next line of it. */
  add(text: string): void {
    this.parts.push(text);
    this.chars += text.length + 1;
  }

  /** Its text so far. */
  text(): string {
    return this.parts.join('\n');
  }

  /** Its first characters, for an example. */
  head(chars: number): string {
    return this.text().slice(0, chars);
  }

  clear(): void {
    this.parts = [];
    this.chars = 0;
  }

  /** For a reader's context: its text (null when none is open) and how many lines of it were read. */
  carried(): { pending: string | null; pendingLines: number } {
    return this.open
      ? { pending: this.text(), pendingLines: this.lastLine - this.start + 1 }
      : { pending: null, pendingLines: 0 };
  }

  /** Takes up what a part before this one carried. */
  resume(pending: string | null, pendingLines: number): void {
    if (pending === null) this.clear();
    else this.begin(pending, 1 - pendingLines);
  }
}

/** The record still open in a reader's context at a file's end (it was cut short), or null. */
export function openAtEnd(context: ReaderContext | null): { text: string; lines: number } | null {
  if (context === null || !('pending' in context) || context.pending === null) return null;
  return { text: context.pending, lines: context.pendingLines };
}
