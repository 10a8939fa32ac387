import { FileFingerprint, FINGERPRINT, blockDigests, combineDigests } from '../util/fingerprint';

/**
 * A file's content fingerprint (util/fingerprint.ts), worked out where it
 * costs least. When the parts a file is cut into are its bytes unchanged, the
 * parse workers digest the blocks of their parts (Segmenter.hashInBlocks) and
 * only the digests are combined here: hashing was a third of the tab's ingest
 * when the ingest worker did it alone. Otherwise the bytes are hashed here as
 * they are read: UTF-16 and event XML are changed before they are cut, EVTX
 * is cut at chunk ends, and the legacy form (wanted beside the current one
 * when the history holds it) has bigger blocks.
 */
export class FileHash {
  /** Plain bytes read before the way is chosen: the few that come before the text reaches the segmenter. */
  private held: Uint8Array[] | null = [];
  private here: FileFingerprint | null = null;
  /** The digests of the file's blocks, part by part, in file order. */
  private readonly parts: Promise<ArrayBuffer[]>[] = [];

  constructor(private readonly legacy: boolean) {}

  /** Whether the way is chosen yet. */
  get chosen(): boolean {
    return this.held === null;
  }

  /** Whether the parts can carry the hashing when they are the file's bytes unchanged. */
  get partsMayHash(): boolean {
    return !this.legacy;
  }

  /** Hashing by parts, or here from the start (the bytes held so far first). */
  async choose(byParts: boolean): Promise<void> {
    const held = this.held ?? [];
    this.held = null;
    if (byParts) return;
    this.here = new FileFingerprint(this.legacy);
    for (const bytes of held) await this.here.push(bytes);
  }

  /** The file's next plain bytes (after any gunzip), all of them in order: hashed here, held, or left to the parts. */
  async push(bytes: Uint8Array): Promise<void> {
    if (this.here !== null) await this.here.push(bytes);
    // Kept across the next read, which may reuse the source's buffer.
    else if (this.held !== null) this.held.push(bytes.slice());
  }

  /** The digests of a part's blocks (or of bytes only digested, `hashOnly`), in file order. */
  part(digests: Promise<ArrayBuffer[]>): void {
    digests.catch(() => undefined);
    this.parts.push(digests);
  }

  /** Bytes to digest only (Segment.hashOnly): here, without a parse worker. */
  only(bytes: Uint8Array): void {
    this.part(blockDigests(bytes));
  }

  /** Every fingerprint of the file, `length` bytes long in all: the current one first. */
  async digests(length: number): Promise<string[]> {
    // Nothing reached the segmenter (an empty file, one given up before): what was held is hashed here.
    if (!this.chosen) await this.choose(false);
    if (this.here !== null) return this.here.digests();
    const blocks = (await Promise.all(this.parts)).flat();
    return [await combineDigests(FINGERPRINT, blocks, length)];
  }
}
