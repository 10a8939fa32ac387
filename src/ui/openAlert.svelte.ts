import { errorMessage } from '../core/util/errorMessage';
import type { AlertDetail } from '../worker/api';
import type { IngestClient } from './ingestClient';
import { ALERT_GONE } from './messages';

/** The alert open in the detail panel: which one, its detail once the worker sends it, or why it could not. */
export class OpenAlert {
  selected = $state<number | null>(null);
  detail = $state.raw<AlertDetail | null>(null);
  error = $state<string | null>(null);

  constructor(private readonly worker: IngestClient) {}

  /** `generation`: the analysis the index belongs to. */
  async open(generation: number, index: number): Promise<void> {
    this.selected = index;
    this.error = null;
    if (this.detail?.alert.index !== index) this.detail = null;
    try {
      const detail = await this.worker.detail(generation, index);
      if (this.selected !== index) return;
      this.detail = detail;
      if (detail === null) this.error = ALERT_GONE;
    } catch (e) {
      if (this.selected === index) this.error = errorMessage(e);
    }
  }

  close(): void {
    this.selected = null;
    this.detail = null;
    this.error = null;
  }
}
