import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { leftovers, syncFolder } from './cleanup';
import { CliError } from './errors';

/**
 * The folder `offbrowse events --out DIR` writes and `detect --events-dir`
 * reads. A run writes `.events-<id>.<ext>.<host>.<pid>.partial` and
 * `.files-…partial` (names no `events-*`/`files-*` glob matches), fsyncs
 * both, then renames the files part into place and the events part last.
 */
const OUTPUT = /([.](events|files)-([0-9a-f]{16})[.](csv|parquet))/;

/**
 * Tidies what killed runs left (SIGKILL, a power cut), of this machine and
 * whose process is gone: a run killed between its two renames had both
 * parts whole and synced, so its events part is put in place (the run
 * completed); every other leftover is removed. Says what it did on stderr.
 */
export function tidyEventsDir(dir: string): void {
  let done = false;
  for (const left of leftovers(dir, OUTPUT, 'partial')) {
    const name = left.slice(dir.length + 1);
    const m = OUTPUT.exec(name);
    if (m === null) continue;
    const [, , kind, id, ext] = m;
    const final = join(dir, `${kind}-${id}.${ext}`);
    if (kind === 'events' && existsSync(join(dir, `files-${id}.${ext}`)) && !existsSync(final)) {
      renameSync(left, final);
      process.stderr.write(`completed ${final}: its run was stopped after writing it whole\n`);
    } else {
      rmSync(left, { force: true });
      process.stderr.write(`removed ${left}, left by an earlier run that was stopped\n`);
    }
    done = true;
  }
  if (done) syncFolder(dir);
}

/**
 * Refuses a folder holding a run's files part without its events part (or
 * the reverse): a run cut off between its renames and not yet tidied would
 * otherwise be read as whole.
 */
export function checkWholeRuns(dir: string): void {
  const names = new Set(readdirSync(dir));
  for (const name of names) {
    const m = /^(events|files)-([0-9a-f]{16})\.(csv|parquet)$/.exec(name);
    if (m === null) continue;
    const other = `${m[1] === 'events' ? 'files' : 'events'}-${m[2]}.${m[3]}`;
    if (!names.has(other))
      throw new CliError(
        `${join(dir, name)} has no ${other} beside it (an offbrowse events run cut off?): ` +
          `run offbrowse events --out ${dir} again on that run's files, or remove ${name}`,
      );
  }
}
