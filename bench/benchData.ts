import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { generate, type GenerateFormat } from '../src/core/generate/index';
import { Random } from '../src/core/generate/random';

const MB = 1e6;

/** Writes `lines` to `path` once: under a per-process name, renamed when complete, so runs never share a half file. */
async function writeOnce(
  path: string,
  log: (msg: string) => void,
  lines: () => Iterable<string>,
  bytes: number,
  cut = true,
): Promise<string> {
  if (existsSync(path) && statSync(path).size >= bytes) return path;
  log(`generating ${path} ...`);
  const partial = `${path}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  for (const chunk of lines()) {
    if (!out.write(chunk)) await once(out, 'drain');
    written += Buffer.byteLength(chunk);
    if (cut && written >= bytes) break;
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, path);
  return path;
}

/**
 * The benchmarks' input: a time-ordered PAN-OS file of at least `bytes` in
 * `dir` (syslog lines, or a web-UI CSV export with its header), from the
 * generator, written once and reused. Both `npm run bench` and `npm run
 * bench:browser` measure the same files.
 */
export function benchFile(
  dir: string,
  bytes: number,
  log: (msg: string) => void,
  format: 'syslog' | 'csv' = 'syslog',
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `panos-${Math.round(bytes / MB)}mb.${format === 'csv' ? 'csv' : 'log'}`);
  // Enough background events per host and day that 45 days reach the size.
  const rate = Math.ceil(bytes / (45 * 200 * 600));
  return writeOnce(
    path,
    log,
    function* () {
      for (const file of generate({ days: 45, hosts: 200, seed: 7, rate, format: format as GenerateFormat }).files)
        yield* file.chunks();
    },
    bytes,
  );
}

const DAY_MS = 86_400_000;
const TOOLS = [
  'curl/7.68.0',
  'curl/8.4.0',
  'python-requests/2.31.0',
  'python-requests/2.28.1',
  'Go-http-client/1.1',
  'Go-http-client/2.0',
  'Wget/1.21.3',
  'okhttp/4.12.0',
  'Java/17.0.9',
  'axios/1.6.2',
  'node-fetch/1.0',
  'aws-cli/2.13.0 Python/3.11.4',
  'Microsoft BITS/7.8',
  'CertUtil URL Agent',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031',
  'Dalvik/2.1.0 (Linux; U; Android 13)',
  'libwww-perl/6.72',
  'Ruby',
  'Apache-HttpClient/4.5.14 (Java/11.0.21)',
  'Python-urllib/3.11',
];
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function panosTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * A PAN-OS syslog file where most URL rows come from non-browser clients:
 * `hosts` hosts using 20 tools against `domains` domains (so the baseline's
 * keys stay the same however long the span), 70% non-browser, 20% browser,
 * 10% without a User-Agent, in time order over `days` days from 2026-09-01.
 * In its second half, one line in 20,011 is a tool's upload to a domain seen
 * nowhere else, so the detection has alerts to agree on, not only none.
 * For the memory benchmarks (memory must follow the keys, not the events) and
 * for throughput where most rows are non-browser ones, the detector's work.
 */
export function heavyFile(
  dir: string,
  bytes: number,
  days: number,
  log: (msg: string) => void,
  hosts = 2000,
  domains = 3000,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  // `v2`: the files before the rare uploads were named without it.
  const path = join(dir, `heavy-v2-${Math.round(bytes / MB)}mb-${days}d.log`);
  // A line is about 680 bytes; all of them are written, so the span is `days` exactly.
  const lines = Math.ceil(bytes / 680);
  const start = Date.UTC(2026, 8, 1);
  const step = (days * DAY_MS) / lines;
  return writeOnce(
    path,
    log,
    function* () {
      const rng = new Random(20261130);
      let chunk: string[] = [];
      for (let i = 0; i < lines; i++) {
        const t = panosTime(start + Math.floor(i * step));
        const host = rng.int(hosts);
        const src = `10.${(host >> 8) & 255}.${host & 255}.${1 + (host % 250)}`;
        const rare = i % 20_011 === 0 && i > lines / 2;
        const kind = rng.int(10);
        const ua = rare ? 'curl/8.4.0' : kind < 7 ? TOOLS[(host * 7 + rng.int(3)) % TOOLS.length] : kind < 9 ? BROWSER : '';
        const domain = rare ? `rare${i}.net` : `site${(host * 13 + rng.int(40)) % domains}.example${host % 7}.com`;
        const post = rare || rng.int(20) === 0;
        const url = `${domain}/${post ? 'upload' : 'index.html'}?id=${i}`;
        chunk.push(
          `Sep 01 00:00:00 PA-3220 1,${t},013201012345,THREAT,url,2560,${t},${src},203.0.113.${host % 250},203.0.113.10,203.0.113.${host % 250},` +
            `Allow-Users-Web,corp\\u${host},,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,Forward-to-SIEM,${t},${i % 4_000_000_000},1,` +
            `50000,443,40000,443,0x40f000,tcp,alert,"${url}",(9999),computer-and-internet-info,informational,client-to-server,${1_000_000 + i},` +
            `0x8000000000000000,10.0.0.0-10.255.255.255,United States,,text/html,0,,,1,${ua === '' ? '' : `"${ua}"`},,,,,,,0,0,0,0,0,Corp,PA-3220,,,,` +
            `${post ? 'post' : 'get'},0,,0,,N/A,unknown,AppThreat-8872-9217,0x0,0,4294967295,,"computer-and-internet-info,low-risk",,0\n`,
        );
        if (chunk.length === 2000) {
          yield chunk.join('');
          chunk = [];
        }
      }
      yield chunk.join('');
    },
    bytes * 0.9,
    false,
  );
}
