/**
 * The one limit on what a tab can read. Files stream past in 1 MiB chunks, so
 * their size costs nothing; what stays is every non-browser event kept for
 * detection, up to about 500 bytes each on the worker's heap (measured). Two
 * million of them is about 1 GB, well inside the heap Chromium allows (3.7 GB
 * on a 64-bit desktop) even while a rebuild holds the old history beside the
 * new one. Past it, a run stops with a message; past the heap limit, the
 * renderer would crash and take the tab with it.
 */
export const MAX_KEPT_EVENTS = 2_000_000;

/** The name as a shell word, so the suggested command can be pasted as it is. */
function shellWord(name: string): string {
  return /^[\w.,+@%=:/-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

export class EventBudgetExceeded extends Error {
  constructor(readonly file: string, readonly budget: number) {
    super(
      `Reading ${file} would keep more non-browser events than this browser tab can hold in memory ` +
        `(at most ${budget.toLocaleString('en')} across everything loaded). ` +
        `For logs this big, use the command-line tool, which reads the same formats: offbrowse detect ${shellWord(file)}`,
    );
    this.name = 'EventBudgetExceeded';
  }
}

/** A budget set from the page (`?max-events=N`) must be a positive whole number. */
export function validEventBudget(value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`max-events must be a positive whole number, not ${value}`);
  return value;
}

/** Checks one file's reading against what the run may still keep. */
export class FileEventBudget {
  private exceeded: EventBudgetExceeded | null = null;

  constructor(
    private readonly file: string,
    /** Events already kept: the history the run adds to, and the run's earlier files. */
    private readonly keptBefore: number,
    private readonly budget: number,
  ) {}

  /** Throws once `keptInFile` more would pass the budget; the same error every time after. */
  check(keptInFile: number): void {
    if (this.exceeded === null && this.keptBefore + keptInFile > this.budget) {
      this.exceeded = new EventBudgetExceeded(this.file, this.budget);
    }
    if (this.exceeded !== null) throw this.exceeded;
  }
}
