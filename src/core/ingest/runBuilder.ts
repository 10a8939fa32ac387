import { ColumnsBuilder, sortColumns, type EventColumns } from '../events/columns';
import { combineRuns, MERGE_FAN_IN } from '../runs/combineRuns';
import { writeEndpointRun, writeEventsRun, writeTrafficRun, type RunRef, type RunStore } from '../runs/runStore';
import { sortEndpoints, type StoredEndpoint } from '../runs/endpointRuns';
import type { MapSink } from './coordinator';
import type { FileReport } from './report';
import { sortTraffic, TrafficBuilder, type TrafficColumns } from '../runs/traffic';

/** A map's output while it is all held in memory, sorted (RunBuilder.takeHeld). */
export interface HeldMap {
  events: EventColumns;
  traffic: TrafficColumns;
  endpoints: StoredEndpoint[];
}

/** Events held before a sorted run is written: about 10 MB of columns and URLs. */
const RUN_EVENTS = 1 << 16;
/** TRAFFIC rows held before a run of them is written: about 10 MB. */
const RUN_TRAFFIC = 1 << 18;

/**
 * The map's output as sorted runs in a store, memory bounded by RUN_EVENTS:
 * events of whole files gather into one run; a file too big for one goes
 * into runs of its own as it is read, so a file that fails or repeats an
 * earlier one can be dropped whole.
 */
export class RunBuilder implements MapSink {
  /** Runs of files read to the end, in the order written. */
  readonly runs: RunRef[] = [];
  readonly trafficRuns: RunRef[] = [];
  readonly endpointRuns: RunRef[] = [];
  private heldEndpoints: StoredEndpoint[] = [];
  private endpointsStart = 0;
  private readonly held = new ColumnsBuilder(4096);
  private readonly heldTraffic = new TrafficBuilder();
  /** Where the file being read starts in the builders. */
  private eventsStart = 0;
  private trafficStart = 0;
  /** Runs written of the file being read. */
  private fileRuns: RunRef[] = [];

  constructor(
    private readonly store: RunStore,
    private readonly limit = RUN_EVENTS,
    private readonly trafficLimit = RUN_TRAFFIC,
    private readonly fanIn = MERGE_FAN_IN,
  ) {}

  async events(_file: number, events: EventColumns, lineOffset: number): Promise<void> {
    this.held.append(events, lineOffset);
    if (this.held.count >= this.limit) await this.spillEvents();
  }

  async traffic(_file: number, traffic: TrafficColumns): Promise<void> {
    this.heldTraffic.append(traffic);
    if (this.heldTraffic.count >= this.trafficLimit) await this.spillTraffic();
  }

  async endpoints(_file: number, records: StoredEndpoint[]): Promise<void> {
    for (const r of records) this.heldEndpoints.push(r);
    if (this.heldEndpoints.length >= this.limit) await this.spillEndpoints();
  }

  async fileDone(_file: number, report: FileReport): Promise<void> {
    if (report.error !== null || report.duplicateOf !== null) {
      for (const run of this.fileRuns) await this.store.delete(run);
      this.held.truncate(this.eventsStart);
      this.heldTraffic.truncate(this.trafficStart);
      this.heldEndpoints.length = this.endpointsStart;
    } else {
      for (const run of this.fileRuns) this.listOf(run).push(run);
    }
    this.fileRuns = [];
    this.eventsStart = this.held.count;
    this.trafficStart = this.heldTraffic.count;
    this.endpointsStart = this.heldEndpoints.length;
  }

  private listOf(run: RunRef): RunRef[] {
    return run.kind === 'events' ? this.runs : run.kind === 'traffic' ? this.trafficRuns : this.endpointRuns;
  }

  /**
   * Writes what is held, then merges runs while there are more than a merge
   * takes at once (combineRuns), so the merges after this hold a bounded
   * number of blocks. Call once every input is done.
   */
  async finish(): Promise<void> {
    if (this.held.count > 0) this.runs.push(await this.write(0, this.held.count));
    this.held.clear();
    if (this.heldTraffic.count > 0)
      this.trafficRuns.push(await writeTrafficRun(this.store, sortTraffic(this.heldTraffic.build())));
    this.heldTraffic.truncate(0);
    if (this.heldEndpoints.length > 0)
      this.endpointRuns.push(await writeEndpointRun(this.store, sortEndpoints(this.heldEndpoints)));
    this.heldEndpoints = [];
    this.eventsStart = 0;
    this.trafficStart = 0;
    this.endpointsStart = 0;
    for (const list of [this.runs, this.trafficRuns, this.endpointRuns]) {
      if (list.length <= this.fanIn) continue;
      const combined = await combineRuns(this.store, list, { fanIn: this.fanIn });
      list.splice(0, list.length, ...combined);
    }
  }

  /**
   * What the map still holds, sorted and handed over, for a join that reads it
   * from memory (pipeline.ts joinHeld) beside the runs already written (which
   * stay in the lists): when there are TRAFFIC rows to join and the merge of
   * the written runs and the held ones stays within the fan-in. The builder
   * then holds nothing. Null otherwise, and nothing changes: call finish.
   */
  takeHeld(): HeldMap | null {
    if (this.fileRuns.length > 0 || (this.heldTraffic.count === 0 && this.trafficRuns.length === 0)) return null;
    const merged =
      this.runs.length + this.trafficRuns.length + (this.held.count > 0 ? 1 : 0) + (this.heldTraffic.count > 0 ? 1 : 0);
    if (merged > this.fanIn || this.endpointRuns.length + 1 > this.fanIn) return null;
    const held = {
      events: sortColumns(this.held.build()),
      traffic: sortTraffic(this.heldTraffic.build()),
      endpoints: sortEndpoints(this.heldEndpoints),
    };
    this.held.clear();
    this.heldTraffic.truncate(0);
    this.heldEndpoints = [];
    this.eventsStart = 0;
    this.trafficStart = 0;
    this.endpointsStart = 0;
    return held;
  }

  /** Drops everything of the file being read (cancelled part-way): the files before it stay. */
  async abandonFile(): Promise<void> {
    for (const run of this.fileRuns) await this.store.delete(run);
    this.fileRuns = [];
    this.held.truncate(this.eventsStart);
    this.heldTraffic.truncate(this.trafficStart);
    this.heldEndpoints.length = this.endpointsStart;
  }

  /** Deletes every run written (a run that failed). */
  async discard(): Promise<void> {
    for (const run of [...this.runs, ...this.trafficRuns, ...this.endpointRuns, ...this.fileRuns]) await this.store.delete(run);
    this.runs.length = 0;
    this.trafficRuns.length = 0;
    this.endpointRuns.length = 0;
    this.heldEndpoints = [];
    this.endpointsStart = 0;
    this.fileRuns = [];
    this.held.clear();
    this.heldTraffic.truncate(0);
    this.eventsStart = 0;
    this.trafficStart = 0;
  }

  private write(from: number, to: number): Promise<RunRef> {
    return writeEventsRun(this.store, sortColumns(this.held.build(from, to)));
  }

  private async spillEvents(): Promise<void> {
    if (this.eventsStart > 0) this.runs.push(await this.write(0, this.eventsStart));
    if (this.held.count > this.eventsStart) this.fileRuns.push(await this.write(this.eventsStart, this.held.count));
    this.held.clear();
    this.eventsStart = 0;
  }

  private async spillEndpoints(): Promise<void> {
    const held = this.heldEndpoints;
    const write = (from: number, to: number): Promise<RunRef> =>
      writeEndpointRun(this.store, sortEndpoints(held.slice(from, to)));
    if (this.endpointsStart > 0) this.endpointRuns.push(await write(0, this.endpointsStart));
    if (held.length > this.endpointsStart) this.fileRuns.push(await write(this.endpointsStart, held.length));
    this.heldEndpoints = [];
    this.endpointsStart = 0;
  }

  private async spillTraffic(): Promise<void> {
    const write = (from: number, to: number): Promise<RunRef> =>
      writeTrafficRun(this.store, sortTraffic(this.heldTraffic.build(from, to)));
    if (this.trafficStart > 0) this.trafficRuns.push(await write(0, this.trafficStart));
    if (this.heldTraffic.count > this.trafficStart) this.fileRuns.push(await write(this.trafficStart, this.heldTraffic.count));
    this.heldTraffic.truncate(0);
    this.trafficStart = 0;
  }
}
