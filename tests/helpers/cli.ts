// The offbrowse command as a user runs it (bin/offbrowse.js, its own process), for the CLI tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/offbrowse.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Runs it as the user `nobody` (setpriv), for files root could read or write anyway. */
  asNobody?: boolean;
  /** Called once the child is started (to signal it, say). */
  onStart?: (child: ChildProcess) => void;
}

/** Runs `offbrowse ...args` to its end: exit code or signal, and all it printed. */
export function offbrowse(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const [command, ...rest] = opts.asNobody
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]
      : [process.execPath, BIN, ...args];
    const child = spawn(command, rest, {
      cwd: opts.cwd,
      env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    opts.onStart?.(child);
  });
}
