// `offbrowse --help` lists what an analyst runs: the benchmarks live in bench/
// (npm run bench), not in the product's command, and docs/cli.md documents
// every command the usage names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { offbrowse } from './helpers/cli';

describe('offbrowse --help', () => {
  it('names the analyst commands, each documented in docs/cli.md, and no benchmark', async () => {
    const run = await offbrowse(['--help']);
    expect(run.code).toBe(0);
    const commands = [...new Set([...run.stdout.matchAll(/^ {2}offbrowse ([a-z-]+)/gm)].map((m) => m[1]))];
    expect(commands).toEqual(['detect', 'events', 'sql', 'sql-result', 'generate']);
    const doc = readFileSync(new URL('../docs/cli.md', import.meta.url), 'utf8');
    for (const c of commands) expect(doc, c).toContain(`| \`${c} `);
    expect(run.stdout).not.toMatch(/\bbench\b|\bpeer\b/);
  });

  for (const gone of ['bench', 'peer']) {
    it(`does not run "${gone}" (npm run bench does)`, async () => {
      const run = await offbrowse([gone]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(gone);
    });
  }
});
