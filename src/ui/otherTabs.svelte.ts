import type { Analysis } from '../worker/api';
import type { StorageListener } from './liveStorage';

/**
 * What other tabs on the same stored history did, as this page learns it
 * from the database's live queries (liveStorage.ts): a revision newer than
 * the one shown means another tab's work landed, and the view is brought up
 * to date as soon as this tab is idle; a newer version or a deletion in
 * another tab closed this page's database, and it must be reloaded.
 */
export class OtherTabs {
  /** Another tab changed the stored history, and this view is being brought up to date. */
  behind = $state(false);
  /** How many times this view was brought up to date with another tab's work. */
  caughtUp = $state(0);
  /** Why the page must be reloaded; null when it need not. */
  reload = $state<'upgraded' | 'deleted' | null>(null);
  private stored = 0;
  private refreshing = false;

  constructor(
    private readonly idle: () => boolean,
    private readonly refresh: () => void,
  ) {}

  listener(analysis: () => Analysis | null): Pick<StorageListener, 'revision' | 'closed'> {
    return {
      revision: (r) => {
        this.stored = r;
        this.check(analysis());
      },
      closed: (why) => (this.reload = why),
    };
  }

  /** Asks for the stored history again when another tab's work is newer than `analysis` and this tab is idle. */
  check(analysis: Analysis | null): void {
    if (analysis === null || this.stored <= analysis.revision || this.refreshing || !this.idle()) return;
    this.behind = true;
    this.refreshing = true;
    this.refresh();
  }

  /** Runs the refresh the page asked for and shows what it gives; a failure leaves the view as it was. */
  async refreshed(get: () => Promise<Analysis>, show: (a: Analysis) => void): Promise<void> {
    try {
      show(await get());
      this.caughtUp++;
    } catch (e) {
      console.warn('offbrowse: could not catch up with another tab', e);
    } finally {
      this.behind = false;
      this.refreshing = false;
    }
  }
}
