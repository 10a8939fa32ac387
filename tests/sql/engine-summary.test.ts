/**
 * `detect --engine duckdb` prints what the built-in `detect` prints: the same
 * summary on stderr, line for line, the TRAFFIC join's counts included (the
 * map joins, so it knows them), on generated logs and on a case whose uploads
 * get their bytes from TRAFFIC rows.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { offbrowse } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'offbrowse-engine-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const caseDir = fileURLToPath(new URL('../cases/upload-min-bytes/', import.meta.url));

async function sameSummary(files: string[]): Promise<string> {
  const [builtIn, duck] = await Promise.all([
    offbrowse(['detect', ...files]),
    offbrowse(['detect', '--engine', 'duckdb', ...files]),
  ]);
  expect(builtIn.code, builtIn.stderr).toBe(0);
  expect(duck.code, duck.stderr).toBe(0);
  expect(duck.stdout).toBe(builtIn.stdout);
  expect(duck.stderr.split('\n')).toEqual(builtIn.stderr.split('\n'));
  return duck.stderr;
}

describe('engine summaries', () => {
  it('equal the built-in one on a case joined with TRAFFIC rows', async () => {
    const files = readdirSync(caseDir)
      .filter((n) => n.startsWith('input'))
      .sort()
      .map((n) => join(caseDir, n));
    const summary = await sameSummary(files);
    expect(summary).toMatch(/^TRAFFIC join: [1-9][0-9]* URL events got their bytes sent/m);
  }, 30_000);

  it('equal the built-in one on generated logs', async () => {
    const data = join(dir, 'logs');
    expect(
      (await offbrowse(['generate', '--out', data, '--days', '16', '--hosts', '40', '--seed', '9', '--rate', '4'])).code,
    ).toBe(0);
    const files = readdirSync(data)
      .filter((n) => n.endsWith('.log'))
      .map((n) => join(data, n));
    expect(await sameSummary(files)).toMatch(/^TRAFFIC join: /m);
  }, 60_000);
});
