/**
 * A real PostgreSQL server for tests: Debian's `postgresql` package, a fresh
 * cluster in a temporary folder, listening only on 127.0.0.1 on a free port,
 * run as an unprivileged user (the package's `postgres` user when we are
 * root, as in CI; ourselves otherwise). Logins need a password. The cluster's
 * default collation is ICU en-US where the server has ICU, so a query that
 * forgets to order text by bytes orders it differently here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgServer {
  port: number;
  /** A database the tests may use, owned by `user`. */
  database: string;
  user: string;
  password: string;
  /** postgres://user:password@127.0.0.1:port/database (other parts on request). */
  url(parts?: { user?: string; password?: string; database?: string; port?: number }): string;
  /** Runs SQL as the test user and returns the rows. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  stop(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const dir = join(root, v, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error("PostgreSQL's server programs are missing: apt-get install -y postgresql (.ci/run does)");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface RunAs {
  prefix: string[];
  uid: number | null;
  gid: number | null;
}

/** Root runs the server as the `postgres` user (initdb refuses root); anyone else as themselves. */
function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { prefix: [], uid: null, gid: null };
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0)
    throw new Error(
      'running as root, but there is no "postgres" user to run the server as (apt-get install -y postgresql creates it)',
    );
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid, gid: id('-g') };
}

function run(as: RunAs, program: string, args: string[]): { ok: boolean; output: string } {
  const [cmd, ...rest] = [...as.prefix, program, ...args];
  const r = spawnSync(cmd, rest, { encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const ADMIN = 'offbrowse_admin';

export async function startPostgres(): Promise<PgServer> {
  const bin = binDir();
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'offbrowse-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${process.pid}-${Date.now()}`;
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (as.uid !== null && as.gid !== null) {
    chownSync(dir, as.uid, as.gid);
    chownSync(pwfile, as.uid, as.gid);
  }
  const base = ['-D', data, '-U', ADMIN, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8'];
  let init = run(as, join(bin, 'initdb'), [...base, '--locale-provider=icu', '--icu-locale=en-US']);
  if (!init.ok) {
    rmSync(data, { recursive: true, force: true });
    init = run(as, join(bin, 'initdb'), base);
  }
  if (!init.ok) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed:\n${init.output}`);
  }
  const port = await freePort();
  const log = join(dir, 'server.log');
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off`;
  const started = run(as, join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    run(as, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed test run still stops the server it started.
  process.once('exit', stop);
  if (!started.ok) {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    stop();
    throw new Error(`pg_ctl start failed:\n${started.output}\n${text}`);
  }

  const user = 'offbrowse_user';
  const database = 'offbrowse_test';
  const admin = new pg.Client({ host: '127.0.0.1', port, user: ADMIN, password, database: 'postgres' });
  try {
    await admin.connect();
    await admin.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${user}`);
  } catch (e) {
    stop();
    throw e;
  } finally {
    await admin.end().catch(() => undefined);
  }

  const url: PgServer['url'] = (parts = {}) =>
    `postgres://${encodeURIComponent(parts.user ?? user)}:${encodeURIComponent(parts.password ?? password)}@127.0.0.1:${parts.port ?? port}/${parts.database ?? database}`;
  return {
    port,
    database,
    user,
    password,
    url,
    async query(sql: string) {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        return (await c.query(sql)).rows as Record<string, unknown>[];
      } finally {
        await c.end();
      }
    },
    stop,
  };
}

/** Runs `input` through Debian's psql client as an operator would (stopping at the first error): its exit code and output. */
export function psql(url: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-v', 'ON_ERROR_STOP=1', '-q', url], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
