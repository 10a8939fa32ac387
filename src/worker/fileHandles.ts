import type { FileReport } from '../core/ingest/report';
import type { ManifestEntry } from '../core/state/state';
import type { Input } from './inputs';

/**
 * The dropped files of this tab by content fingerprint: what lets the
 * history be read again under new settings. A file added on an earlier
 * visit is not held (a page cannot keep File handles across a reload), and
 * the demo is made again rather than held.
 */
export class FileHandles {
  private readonly byFingerprint = new Map<string, File>();

  /** The same content under any name serves to read the history again. */
  keep(input: Input, report: FileReport): void {
    if (input.file !== null && report.fingerprint !== null) this.byFingerprint.set(report.fingerprint, input.file);
  }

  get(entry: ManifestEntry): File | undefined {
    return entry.report.fingerprint === null ? undefined : this.byFingerprint.get(entry.report.fingerprint);
  }

  forget(entries: readonly ManifestEntry[]): void {
    for (const f of entries) if (f.report.fingerprint !== null) this.byFingerprint.delete(f.report.fingerprint);
  }

  clear(): void {
    this.byFingerprint.clear();
  }

  /** Added files, other than the demo's, that this tab cannot read again. */
  notHeld(files: readonly ManifestEntry[]): ManifestEntry[] {
    return files.filter((f) => !f.demo && this.get(f) === undefined);
  }
}
