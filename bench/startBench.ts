import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';

/** What the start-up rows need of a timed child: its wall time and a hash of what it printed. */
interface Timed {
  ms: number;
  stdoutHash: string;
}

/** Runs `command args...` from the repository's folder to its end and times it; `cli`: it is the CLI, which reports its peak memory. */
type TimeChild = (command: string, args: string[], cli: boolean) => Promise<Timed>;

/** The first `lines` lines of `from`, written once beside it: a small input whose run is mostly start-up. */
function headFile(from: string, lines: number): string {
  const path = `${from}.head-${lines}.log`;
  if (existsSync(path)) return path;
  // Only the file's start is read: the bench's files are larger than the longest string V8 makes (about 512 MB).
  const head = Buffer.alloc(1 << 20);
  const fd = openSync(from, 'r');
  let got: number;
  try {
    got = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = head.toString('latin1', 0, got).split('\n').slice(0, lines).join('\n') + '\n';
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, text, 'latin1');
  renameSync(partial, path);
  return path;
}

/** The `offbrowse` on PATH when it is this repository's (`npm link`), else null. */
function linkedOffbrowse(bin: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'offbrowse');
    try {
      accessSync(path, constants.X_OK);
      return realpathSync(path) === realpathSync(bin) ? path : null;
    } catch {
      // Not in this folder of PATH.
    }
  }
  return null;
}

/**
 * The cost of starting the CLI, each way the README gives: `npx offbrowse`,
 * `offbrowse` after `npm link` (when this repository is the one linked),
 * `./bin/offbrowse.js`, and `node bin/offbrowse.js`, with Node doing nothing
 * for scale, on the first 100 lines of `syslog`, alternated, best of `runs`.
 * null (and a message) when two ways printed other alerts.
 */
export async function startRows(
  syslog: string,
  bin: string,
  runs: number,
  time: TimeChild,
  log: (m: string) => void,
): Promise<[string, string][] | null> {
  const file = headFile(syslog, 100);
  const linked = linkedOffbrowse(bin);
  const args = ['detect', '--json', file];
  const ways: [string, string, string[]][] = [
    ['npx offbrowse detect --json', 'npx', ['offbrowse', ...args]],
    ...(linked === null ? [] : ([['offbrowse detect --json (npm link)', linked, args]] as [string, string, string[]][])),
    ['./bin/offbrowse.js detect --json', bin, args],
    ['node bin/offbrowse.js detect --json', process.execPath, [bin, ...args]],
  ];
  const fastest = new Map<string, number>();
  let nodeAlone = Infinity;
  for (let i = 0; i < runs; i++) {
    let first: Timed | null = null;
    for (const [name, command, argv] of ways) {
      const r = await time(command, argv, true);
      first ??= r;
      if (r.stdoutHash !== first.stdoutHash) {
        log(`${name} printed other alerts than ${ways[0][0]} on ${file}: no start-up times reported`);
        return null;
      }
      fastest.set(name, Math.min(fastest.get(name) ?? Infinity, r.ms));
    }
    nodeAlone = Math.min(nodeAlone, (await time(process.execPath, ['-e', '0'], false)).ms);
  }
  const ms = (x: number): string => `${(x / 1000).toFixed(2)} s`;
  return [
    ['start-up: input', `${file} (100 lines)`],
    ...ways.map(([name]): [string, string] => [`start-up: ${name}`, ms(fastest.get(name)!)]),
    ...(linked === null
      ? [
          ['start-up: offbrowse (npm link)', 'not timed: the offbrowse on PATH is not this repository (npm link)'] as [
            string,
            string,
          ],
        ]
      : []),
    ['start-up: node -e 0 (Node alone)', ms(nodeAlone)],
  ];
}
