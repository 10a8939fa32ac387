import { datasetDay } from '../generate/index';
import type { Settings } from '../settings/settings';
import { detach } from '../util/strings';
import type { ParsePool } from './coordinator';
import { jobDigests, SegmentParser, type GeneratedJob, type SegmentJob, type SegmentResult, type Utf8Decoder } from './segment';

/**
 * The job description shared by both ways of parsing in parallel (worker
 * threads in the CLI, web workers in the tab): a parse worker is started
 * with the settings, then gets `ParseRequest`s and answers `ParseReply`s.
 */
export interface ParseRequest {
  id: number;
  job: SegmentJob | GeneratedJob;
  /** Sent with a worker's first job and whenever they change: the worker parses under them from then on. */
  settings?: Settings;
}

export type ParseReply = { id: number; result: SegmentResult } | { id: number; error: string };

/** A parse worker as the pool sees it: a thread, a web worker, whatever carries messages. */
export interface ParsePort {
  post(request: ParseRequest, transfer: ArrayBuffer[]): void;
  /** Called with each reply; `fatal` when the worker itself died (its jobs are lost). */
  listen(onReply: (reply: ParseReply) => void, onFatal: (error: Error) => void): void;
  terminate(): void;
}

/** A parse worker's side: parses each request under the settings last sent. */
export class ParseWorker {
  private parser: SegmentParser | null = null;

  /** `decode`: a faster decoder where the runtime has one (src/cli/decode.ts). */
  constructor(private readonly decode?: Utf8Decoder) {}

  /** Parses a request; names the buffers to hand back without copying. */
  async answer(request: ParseRequest): Promise<{ reply: ParseReply; transfer: ArrayBuffer[] }> {
    if (request.settings !== undefined) this.parser = new SegmentParser(request.settings, this.decode);
    if (this.parser === null)
      return { reply: { id: request.id, error: 'no settings were sent before the first job' }, transfer: [] };
    return answer(this.parser, request);
  }
}

async function answer(parser: SegmentParser, request: ParseRequest): Promise<{ reply: ParseReply; transfer: ArrayBuffer[] }> {
  try {
    const { job } = request;
    const digests = jobDigests(job);
    const result = 'generated' in job ? parser.generate(job) : parser.parse(job);
    if (digests !== null) result.blocks = await digests;
    const e = result.events;
    const t = result.traffic;
    const transfer = [e.ids, e.time, e.bytesOut, e.bytesIn, e.flags, e.line, t.time, t.sent, t.received].map(
      (a) => a.buffer as ArrayBuffer,
    );
    transfer.push(...(result.blocks ?? []));
    if (!('generated' in job)) {
      // The part's bytes go back with the answer, to be filled again.
      result.spent = job.bytes.buffer as ArrayBuffer;
      transfer.push(result.spent);
    }
    return { reply: { id: request.id, result }, transfer };
  } catch (err) {
    return { reply: { id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, transfer: [] };
  }
}

/**
 * A result's per-event texts as a worker's reply carries them: copies. Made on
 * this thread they are views into the part's decoded text, and a run not yet
 * written would keep every part's whole text alive (hundreds of MB on a big file).
 */
function detached(result: SegmentResult): SegmentResult {
  result.events.urls = result.events.urls.map(detach);
  result.events.sessions = result.events.sessions.map(detach);
  result.traffic.sessions = result.traffic.sessions.map(detach);
  // Endpoint records are few beside URL rows: a JSON round trip copies every text of theirs at once.
  if (result.endpoints.length > 0) result.endpoints = JSON.parse(JSON.stringify(result.endpoints)) as SegmentResult['endpoints'];
  return result;
}

/** Parses on this thread: one worker's worth, for small inputs and tests. */
export class LocalPool implements ParsePool {
  readonly size = 1;
  private parser: SegmentParser;
  private current: Settings;

  constructor(
    settings: Settings,
    private readonly decode?: Utf8Decoder,
  ) {
    this.current = settings;
    this.parser = new SegmentParser(settings, decode);
  }

  set settings(settings: Settings) {
    if (settings !== this.current) this.parser = new SegmentParser(settings, this.decode);
    this.current = settings;
  }

  get settings(): Settings {
    return this.current;
  }

  async parse(job: SegmentJob): Promise<SegmentResult> {
    const digests = jobDigests(job);
    const result: SegmentResult = { ...detached(this.parser.parse(job)), spent: job.bytes.buffer as ArrayBuffer };
    if (digests !== null) result.blocks = await digests;
    return result;
  }

  async generate(job: GeneratedJob): Promise<SegmentResult> {
    return detached(this.parser.generate(job));
  }

  close(): void {}
}

/**
 * Parses on several workers, each given the next job when it has the fewest
 * in hand, under `settings` (which can change between runs: the workers are
 * kept and told).
 */
export class PortPool implements ParsePool {
  readonly size: number;
  settings: Settings;
  private readonly sent: (Settings | null)[];
  private readonly busy: number[];
  private readonly pending = new Map<
    number,
    { worker: number; resolve: (r: SegmentResult) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private failure: Error | null = null;
  /**
   * The worker each day of a generated dataset went to: the day's files are
   * made from the same entries, which a worker keeps for its last day (spread
   * over two workers, each made them again: a sixth of the demo's generating).
   */
  private readonly days = new Map<string, number>();

  constructor(
    private readonly ports: ParsePort[],
    settings: Settings,
  ) {
    this.size = ports.length;
    this.settings = settings;
    this.sent = ports.map(() => null);
    this.busy = ports.map(() => 0);
    for (const port of ports) {
      port.listen(
        (reply) => {
          const p = this.pending.get(reply.id);
          if (p === undefined) return;
          this.pending.delete(reply.id);
          this.busy[p.worker]--;
          if ('error' in reply) p.reject(new Error(`a parse worker failed: ${reply.error}`));
          else p.resolve(reply.result);
        },
        (error) => this.fail(error),
      );
    }
  }

  parse(job: SegmentJob): Promise<SegmentResult> {
    return this.send(job, [job.bytes.buffer as ArrayBuffer]);
  }

  generate(job: GeneratedJob): Promise<SegmentResult> {
    return this.send(job, []);
  }

  /** Parts sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  private send(job: SegmentJob | GeneratedJob, transfer: ArrayBuffer[]): Promise<SegmentResult> {
    if (this.failure !== null) return Promise.reject(this.failure);
    let worker = 0;
    for (let w = 1; w < this.busy.length; w++) if (this.busy[w] < this.busy[worker]) worker = w;
    if ('generated' in job) {
      const { options, index } = job.generated;
      const day = `${JSON.stringify(options)}#${datasetDay(options, index)}`;
      worker = this.days.get(day) ?? worker;
      this.days.set(day, worker);
    }
    const id = this.next++;
    this.busy[worker]++;
    return new Promise<SegmentResult>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      const request: ParseRequest = { id, job };
      if (this.sent[worker] !== this.settings) request.settings = this.sent[worker] = this.settings;
      this.ports[worker].post(request, transfer);
    });
  }

  close(): void {
    for (const port of this.ports) port.terminate();
    this.fail(new Error('the parse workers were stopped'));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/**
 * Workers and this thread together: a part goes to the workers while each has
 * fewer than two in hand (one parsing, one waiting), else this thread parses
 * it between its other work (reading, sorting runs, detecting). With N cores,
 * N - 1 workers and this thread keep every core busy without a thread more
 * than there are cores.
 */
export class SharedPool implements ParsePool {
  readonly size: number;

  constructor(
    private readonly workers: PortPool,
    private readonly here: LocalPool,
  ) {
    this.size = workers.size + 1;
  }

  get settings(): Settings {
    return this.workers.settings;
  }

  set settings(settings: Settings) {
    this.workers.settings = settings;
    this.here.settings = settings;
  }

  parse(job: SegmentJob): Promise<SegmentResult> {
    return this.workers.inFlight < 2 * this.workers.size ? this.workers.parse(job) : this.here.parse(job);
  }

  generate(job: GeneratedJob): Promise<SegmentResult> {
    return this.workers.inFlight < 2 * this.workers.size ? this.workers.generate(job) : this.here.generate(job);
  }

  close(): void {
    this.workers.close();
  }
}
