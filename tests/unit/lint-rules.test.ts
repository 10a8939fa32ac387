/**
 * The lint that holds the layout (docs/architecture.md "How lint holds the order") fails on
 * what it is there to catch: a cycle between two files of one folder, an import against the
 * order of src/core's folders, a loose file at core's top, and an unused export. Each is
 * planted in a temporary tree linted with the repository's own eslint.config.js and knip.json,
 * beside a clean tree that must pass, so a rule that stopped working fails here.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];

/** A tree in a temporary folder with `files`, linted by the repository's config. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'offbrowse-lint-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The rule ids ESLint reports per file (relative path), with the repository's eslint.config.js. */
async function eslintRules(dir: string): Promise<Record<string, string[]>> {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: join(REPO, 'eslint.config.js') });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  const out: Record<string, string[]> = {};
  for (const r of results) {
    const rel = r.filePath.slice(dir.length + 1);
    out[rel] = r.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
  }
  return out;
}

const CLEAN_CORE = {
  'src/core/util/a.ts': "import { b } from './b';\nexport const a = (): number => b() + 1;\n",
  'src/core/util/b.ts': 'export const b = (): number => 1;\n',
  'src/core/state/s.ts': "import { a } from '../util/a';\nexport const s = (): number => a();\n",
};

describe('eslint.config.js', () => {
  it('passes a tree that keeps the order and has no cycle', async () => {
    const rules = await eslintRules(tree(CLEAN_CORE));
    expect(rules).toEqual({ 'src/core/util/a.ts': [], 'src/core/util/b.ts': [], 'src/core/state/s.ts': [] });
  }, 60_000);

  it('fails a cycle between two files of one folder', async () => {
    const rules = await eslintRules(
      tree({
        ...CLEAN_CORE,
        'src/core/util/b.ts': "import { a } from './a';\nexport const b = (): number => (a.length > 1 ? 0 : 1);\n",
      }),
    );
    expect(rules['src/core/util/a.ts']).toEqual(['import-x/no-cycle']);
    expect(rules['src/core/util/b.ts']).toEqual(['import-x/no-cycle']);
  }, 60_000);

  it("fails an import against the order of src/core's folders", async () => {
    const rules = await eslintRules(
      tree({
        ...CLEAN_CORE,
        'src/core/util/b.ts':
          "import { StateError } from '../state/state';\nexport const b = (): number => (StateError ? 1 : 0);\n",
        'src/core/state/state.ts': 'export class StateError extends Error {}\n',
      }),
    );
    expect(rules['src/core/util/b.ts']).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(rules['src/core/state/s.ts']).toEqual([]);
  }, 60_000);

  it('fails a loose file at the top of src/core and a folder the order does not know', async () => {
    const rules = await eslintRules(
      tree({ ...CLEAN_CORE, 'src/core/loose.ts': 'export const x = 1;\n', 'src/core/misc/y.ts': 'export const y = 1;\n' }),
    );
    expect(rules['src/core/loose.ts']).toEqual(['no-restricted-syntax']);
    expect(rules['src/core/misc/y.ts']).toEqual(['no-restricted-syntax']);
  }, 60_000);
});

describe('knip.json', () => {
  /** knip's exit code and report over a tree with the repository's knip.json. */
  function knip(files: Record<string, string>): { code: number; out: string } {
    const dir = tree({ 'package.json': '{ "name": "planted", "type": "module" }\n', ...files });
    copyFileSync(join(REPO, 'knip.json'), join(dir, 'knip.json'));
    try {
      const out = execFileSync(join(REPO, 'node_modules/.bin/knip'), ['--no-progress', '--no-config-hints'], {
        cwd: dir,
        encoding: 'utf8',
      });
      return { code: 0, out };
    } catch (e) {
      const err = e as { status: number; stdout: string };
      return { code: err.status, out: err.stdout };
    }
  }

  // The CLI bundle's entry, as knip.json names it, using one export of a core module.
  const entry = { 'src/cli/commands.ts': "import { used } from '../core/util/m';\nexport const main = (): number => used;\n" };

  it('passes a tree where every export is used', () => {
    const r = knip({ ...entry, 'src/core/util/m.ts': 'export const used = 1;\n' });
    expect(r).toEqual({ code: 0, out: '' });
  }, 60_000);

  it('fails an unused export, and one used only in its own file', () => {
    const r = knip({
      ...entry,
      'src/core/util/m.ts': 'export const used = planted + 1;\nexport const planted = 1;\nexport const dead = 2;\n',
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Unused exports \(2\)/);
    expect(r.out).toMatch(/planted\s+src\/core\/util\/m\.ts/);
    expect(r.out).toMatch(/dead\s+src\/core\/util\/m\.ts/);
  }, 60_000);
});
