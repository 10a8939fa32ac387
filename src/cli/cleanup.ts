import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError, fsWords, isSystemError } from './errors';

/**
 * What a run must not leave behind: its temporary files and folders, removed
 * on exit and on Ctrl-C, SIGTERM or SIGHUP (SIGKILL cannot be caught: the
 * next run sweeps those, `sweepLeftovers`).
 */
const LIVE = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const path of LIVE) rmSync(path, { recursive: true, force: true });
  LIVE.clear();
}

/** Installs the removal on exit and on a stop signal (before anything to remove exists: a signal with no handler kills at once). */
export function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removeAll);
  // Exit as a shell reports a process killed by the signal (128 + its number).
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      removeAll();
      process.stderr.write(`offbrowse: stopped by ${signal}; its temporary files are removed, nothing half-written is left\n`);
      process.exit(code);
    });
  }
}

/** Removes `path` (a file or a folder) when the program stops before `release` is called. */
export function removeOnExit(path: string): () => void {
  hookExit();
  LIVE.add(path);
  return () => LIVE.delete(path);
}

/** This machine, as a file name may carry it: a pid says nothing about a process on another machine. */
const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';

/** A temporary name of this process beside `path`: `<path>.<host>.<pid>.<ext>`. */
export function tempPath(path: string, ext: 'tmp' | 'partial'): string {
  return `${path}.${HOST}.${process.pid}.${ext}`;
}

function pidAlive(pid: number): boolean {
  // A file of our own pid was left by an earlier process (pids are reused): this run has not made its own yet.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isSystemError(e) && e.code === 'EPERM';
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The temporary files a killed run of ours left beside `base` in `dir`:
 * `<base>.<host>.<pid>.<ext>` of this machine (and `<base>.<pid>.<ext>`,
 * the form earlier versions wrote) whose process is gone. Never a file of
 * another name, of a process still running, or of another machine.
 */
export function leftovers(dir: string, base: RegExp | string, ext: 'tmp' | 'partial'): string[] {
  const b = typeof base === 'string' ? escape(base) : base.source;
  const pattern = new RegExp(`^(${b})\\.(?:${escape(HOST)}\\.)?(\\d+)\\.${ext}$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (m !== null && !pidAlive(Number(m[m.length - 1]))) found.push(join(dir, name));
  }
  return found;
}

/**
 * A temporary folder of this process under `parent`,
 * `<prefix><host>.<pid>.XXXXXX`, made after removing the ones runs killed
 * outright left there (this machine's, whose process is gone; never one of
 * this process or another name).
 */
export function makeTempFolder(parent: string, prefix: string): string {
  hookExit();
  const pattern = new RegExp(`^${escape(prefix)}${escape(HOST)}\\.(\\d+)\\.[A-Za-z0-9]{6}$`);
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    // mkdtemp below says why the folder cannot be used.
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (m !== null && Number(m[1]) !== process.pid && !pidAlive(Number(m[1])))
      rmSync(join(parent, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(parent, `${prefix}${HOST}.${process.pid}.`));
}

/** fsync: the file's bytes on the disk before it is renamed into place. */
export function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of a folder, so a rename in it survives a power cut; some file systems refuse it, and the rename stands. */
export function syncFolder(dir: string): void {
  try {
    syncFile(dir);
  } catch {
    // Not every platform opens or syncs a folder (Windows); there is nothing more to do.
  }
}

/**
 * `mkdir -p` that fails at once: Node's `mkdirSync(…, { recursive: true })`
 * loops for ever where the OS answers "no such file" for a parent that is
 * there (under /proc), so each missing folder is made on its own. `what`
 * names the option, for the message.
 */
export function makeFolder(path: string, what: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); ;) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      if (!isSystemError(e) || e.code !== 'ENOENT') throw new CliError(`${what} ${path}: cannot look at ${p}: ${fsWords(e)}`);
      missing.push(p);
      const up = dirname(p);
      if (up === p) break;
      p = up;
      continue;
    }
    if (!isDir)
      throw new CliError(
        p === resolve(path)
          ? `${what} ${path} is a file, not a folder: give a folder (it is created if missing)`
          : `${what} ${path}: ${p} is a file, not a folder: give a folder (it is created if missing)`,
      );
    break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (e) {
      // Another run (xargs -P) made it first.
      if (isSystemError(e) && e.code === 'EEXIST' && statSync(p).isDirectory()) continue;
      throw new CliError(`${what} ${path}: cannot create the folder ${p}: ${fsWords(e)}: give a folder you can write to`);
    }
  }
}
