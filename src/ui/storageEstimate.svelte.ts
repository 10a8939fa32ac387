/**
 * How much the browser lets this page store, and whether it may evict it
 * under pressure: navigator.storage, where the browser has it (not on every
 * file:// page).
 */
export class StorageEstimate {
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);
  /** True: the browser keeps the data until the user clears it. Null: not known. */
  persisted = $state<boolean | null>(null);
  private asked = false;

  async refresh(): Promise<void> {
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (storage === undefined) return;
    try {
      if (typeof storage.estimate === 'function') {
        const e = await storage.estimate();
        this.usage = e.usage ?? null;
        this.quota = e.quota ?? null;
      }
      if (typeof storage.persisted === 'function') this.persisted = await storage.persisted();
    } catch {
      // Some contexts refuse the question; the panel then says "not known".
    }
  }

  /**
   * Asks the browser to keep the data (it may say no, or ask the user):
   * once a page on its own, when something was first saved, or when asked.
   */
  async requestPersistence(force = false): Promise<void> {
    if ((this.asked && !force) || this.persisted === true) return;
    this.asked = true;
    const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
    if (storage === undefined || typeof storage.persist !== 'function') return;
    try {
      this.persisted = await storage.persist();
    } catch {
      this.persisted = false;
    }
  }
}
