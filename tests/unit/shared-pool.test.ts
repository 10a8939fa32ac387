import { describe, expect, it } from 'vitest';
import {
  LocalPool,
  ParseWorker,
  PortPool,
  SharedPool,
  type ParsePort,
  type ParseReply,
  type ParseRequest,
} from '../../src/core/ingest/parsePool';
import { defaultSettings } from '../../src/core/settings/settings';
import type { SegmentJob } from '../../src/core/ingest/segment';

/** A worker answering only when told to: lets the test hold the workers busy. */
function heldPort(): { port: ParsePort; release(): Promise<void>; jobs: number; held: ParseRequest[] } {
  const worker = new ParseWorker();
  const held: ParseRequest[] = [];
  let onReply: (r: ParseReply) => void = () => undefined;
  const state = {
    jobs: 0,
    held,
    port: {
      post(request: ParseRequest) {
        state.jobs++;
        held.push(request);
      },
      listen(reply: (r: ParseReply) => void) {
        onReply = reply;
      },
      terminate() {},
    } satisfies ParsePort,
    async release() {
      for (const r of held.splice(0)) onReply((await worker.answer(r)).reply);
    },
  };
  return state;
}

const line = (i: number) =>
  `Sep 01 00:00:0${i % 10} PA-3220 1,2026/09/01 00:00:0${i % 10},013201012345,THREAT,url,2560,2026/09/01 00:00:0${i % 10},10.0.0.${i},1.2.3.4,,,R,,,web,vsys1,t,u,e1,e2,F,2026/09/01 00:00:00,${i},1,5,443,0,0,0x0,tcp,alert,"example.com/${i}",(9999),c,informational,client-to-server,1,0x0,a,b,,,0,,,0,"curl/8.0",,,,,,,,0,0,0,0,0,C,PA,,,,get\n`;
const job = (i: number): SegmentJob => ({
  file: 'f.log',
  source: 's',
  bytes: new TextEncoder().encode(line(i)),
  first: i === 0,
  context: null,
  keepPending: false,
});

describe('the shared pool', () => {
  it('keeps two parts in hand per worker and parses the rest on this thread', async () => {
    const held = heldPort();
    const pool = new SharedPool(new PortPool([held.port], defaultSettings()), new LocalPool(defaultSettings()));
    expect(pool.size).toBe(2);
    const results = [0, 1, 2, 3].map((i) => pool.parse(job(i)));
    // Parts 0 and 1 wait on the worker; 2 and 3 were parsed here already.
    expect(held.jobs).toBe(2);
    const here = await Promise.all(results.slice(2));
    expect(here.map((r) => r.events.count)).toEqual([1, 1]);
    await held.release();
    const there = await Promise.all(results.slice(0, 2));
    expect(there.map((r) => r.events.urls[0])).toEqual(['example.com/0', 'example.com/1']);
    // With the worker free again, the next part goes to it.
    void pool.parse(job(4));
    expect(held.jobs).toBe(3);
  });

  it('tells both sides of new settings', async () => {
    const held = heldPort();
    const here = new LocalPool(defaultSettings());
    const pool = new SharedPool(new PortPool([held.port], defaultSettings()), here);
    const next = { ...defaultSettings(), rareHosts: 5 };
    pool.settings = next;
    expect(here.settings).toBe(next);
    expect(pool.settings).toBe(next);
  });

  it('sends the files of one day of a generated dataset to one worker, which keeps what makes them', () => {
    const ports = [heldPort(), heldPort()];
    const pool = new PortPool(
      ports.map((p) => p.port),
      defaultSettings(),
    );
    // The demo's dataset: each day a firewall file and three endpoint files (generate/index.ts datasetFiles).
    const options = { days: 3, hosts: 40 };
    for (let index = 0; index < 12; index++)
      void pool.generate({ file: `f${index}`, source: `s${index}`, generated: { options, index }, keepPending: false });
    const days = ports.map((p) => p.held.map((r) => ('generated' in r.job ? Math.floor(r.job.generated.index / 4) : -1)));
    expect(days).toEqual([
      [0, 0, 0, 0, 2, 2, 2, 2],
      [1, 1, 1, 1],
    ]);
  });
});
