import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { generate } from '../core/generate/index';

const MB = 1e6;

/**
 * The benchmarks' input: a time-ordered PAN-OS syslog file of at least
 * `bytes` in `dir`, from the generator, written once and reused. Both
 * `npm run bench` and `npm run bench:browser` measure this same file.
 */
export async function benchFile(dir: string, bytes: number, log: (msg: string) => void): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `panos-${Math.round(bytes / MB)}mb.log`);
  if (existsSync(path) && statSync(path).size >= bytes) return path;
  log(`generating ${path} ...`);
  // Enough background events per host and day that 45 days reach the size.
  const rate = Math.ceil(bytes / (45 * 200 * 600));
  // Per process, and renamed only when complete: two runs at once, or an interrupted one, never share a half file.
  const partial = `${path}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  outer: for (const file of generate({ days: 45, hosts: 200, seed: 7, rate }).files) {
    for (const chunk of file.chunks()) {
      if (!out.write(chunk)) await once(out, 'drain');
      written += Buffer.byteLength(chunk);
      if (written >= bytes) break outer;
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, path);
  return path;
}
