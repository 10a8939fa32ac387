import { mount } from 'svelte';
import ErrorReport from './components/ErrorReport.svelte';
import { unexpectedError, type UnexpectedError } from './unexpectedError';

export interface Reported extends UnexpectedError {
  id: number;
  /** The same error again (a handler that throws on every event): counted, not shown twice. */
  times: number;
}

/** Errors nothing in the page caught, shown until dismissed. */
export class ErrorReporter {
  shown = $state.raw<Reported[]>([]);
  private next = 0;

  report(e: UnexpectedError | null): void {
    if (e === null) return;
    const same = this.shown.find((r) => r.details === e.details);
    if (same !== undefined) {
      this.shown = this.shown.map((r) => (r === same ? { ...r, times: r.times + 1 } : r));
      return;
    }
    this.shown = [...this.shown, { ...e, id: this.next++, times: 1 }];
  }

  dismiss(id: number): void {
    this.shown = this.shown.filter((r) => r.id !== id);
  }

  /** Hears every error the window's code throws and nobody catches, and every rejected promise nobody handles. */
  listen(target: Window): void {
    target.addEventListener('error', (e) => {
      const where = e.filename ? `${e.filename}:${e.lineno}:${e.colno}` : '';
      this.report(unexpectedError('error', e.error, e.message, where));
    });
    target.addEventListener('unhandledrejection', (e) => this.report(unexpectedError('unhandled rejection', e.reason)));
  }
}

/**
 * Starts reporting before the page itself is mounted, in a root of its own,
 * so an error that stops the page from starting is shown too.
 */
export function startErrorReporter(target: Window & typeof globalThis): ErrorReporter {
  const reporter = new ErrorReporter();
  reporter.listen(target);
  const host = target.document.createElement('div');
  target.document.body.append(host);
  mount(ErrorReport, { target: host, props: { reporter } });
  return reporter;
}
