/**
 * Shows a group of heavy sections one per frame instead of all at once. The
 * results (summary, timeline, alert table) took about 90 ms of script, style
 * and layout in one task when they first appeared; one section a frame keeps
 * each task short, so the page stays responsive while they come in.
 */
export class Stages {
  /** How many sections are shown, from 0 to `count`. */
  shown = $state(0);

  constructor(private readonly count: number) {}

  get complete(): boolean {
    return this.shown >= this.count;
  }

  /**
   * Call from an effect: shows the next section after the next paint while
   * `visible`, and starts again from none when not. Returns the effect's cleanup.
   */
  step(visible: boolean): (() => void) | undefined {
    if (!visible) {
      this.shown = 0;
      return undefined;
    }
    if (this.complete) return undefined;
    return afterNextPaint(() => this.shown++);
  }
}

/**
 * Runs `fn` in a task after the next frame is painted (a timer set from an
 * animation frame). Where no frame comes (a hidden tab), a timer runs it anyway.
 */
function afterNextPaint(fn: () => void): () => void {
  let timer = 0;
  const frame = requestAnimationFrame(() => {
    clearTimeout(fallback);
    timer = window.setTimeout(fn, 0);
  });
  const fallback = window.setTimeout(() => {
    cancelAnimationFrame(frame);
    fn();
  }, 250);
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    clearTimeout(timer);
  };
}
