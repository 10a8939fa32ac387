/**
 * The benchmark peer classifies clients and domains with its own SQL
 * (bench/peer/classify.ts, written from docs/detection.md), not with the
 * product's code: a differential test of the two readings of the spec. Every
 * field of every line of every case folder's input is tried as a User-Agent,
 * and its URL host part as a hostname (a superset of the events' own user
 * agents and hostnames), under the case's settings; both sides must give the
 * same client kind and key, domain key, text-share flag and API-host flag.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { clientLookupSql, createHostLookup, KIND } from '../../bench/peer/classify';
import { withDuckDb } from '../../src/cli/engines/duckdb';
import { isApi } from '../../src/core/classify/classify';
import { ClientClassifier } from '../../src/core/classify/client';
import { DomainKeys } from '../../src/core/classify/domain';
import type { Settings } from '../../src/core/settings/settings';
import { urlParts } from '../../src/core/util/url';
import { caseNames, CASES_DIR, loadCase } from '../helpers/cases';

/** Every string of a JSON value. */
function jsonStrings(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) for (const x of v) jsonStrings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) jsonStrings(x, out);
}

/** Every field of every line, read as JSON, CSV and tab-separated (Zeek's escapes decoded too), so no format's user agents are missed. */
function fieldsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('{')) {
      try {
        jsonStrings(JSON.parse(line), out);
      } catch {
        // A case's broken line: its CSV and tab fields below still count.
      }
    }
    for (const f of Papa.parse<string[]>(line).data[0] ?? []) out.add(f);
    for (const f of line.split('\t')) {
      out.add(f);
      out.add(f.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    }
  }
  return out;
}

/** User agents the spec names (docs/detection.md "Clients") and edges of its rules. */
const EXTRA_AGENTS = [
  '',
  ' ',
  '-',
  ' - ',
  '\t',
  '\u000bcurl/8.4.0\u00a0',
  '\u3000Wget (x)/1\t',
  'Mozilla/5.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.33.73 Chrome/114.0 Electron/25.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0 Electron/25.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh) AppleWebKit/537.36 (KHTML, like Gecko) Slack_SSB/4.33 Chrome/114.0 Safari/537.36',
  'Mozilla/5.0 (X11) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
  'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3031',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)',
  'Mozilla/4.0 (compatible; Win32; WinHttp.WinHttpRequest.5)',
  'Mozilla/5.0 (X11; Linux) teams/1.5 ;x',
  'Microsoft BITS/7.8',
  'CertUtil URL Agent',
  'PostmanRuntime/7.36.0',
  'Postman/10.0',
  'python-requests (bot)/2.0',
  'Code/1.85.0 Chrome/114',
  'x)discord/1.0',
];

async function compare(settings: Settings, agents: readonly string[], hostnames: readonly string[]): Promise<number> {
  const clients = new ClientClassifier(settings);
  const domains = new DomainKeys(settings.textShareSites);
  const kinds = { browser: KIND.browser, 'non-browser': KIND.nonBrowser, unknown: KIND.unknown } as const;
  return withDuckDb(async (c) => {
    await c.run('CREATE TABLE agents (ua VARCHAR)');
    await c.run('CREATE TABLE hosts (hostname VARCHAR)');
    const a = await c.createAppender('agents');
    for (const ua of agents) {
      a.appendVarchar(ua);
      a.endRow();
    }
    a.closeSync();
    const h = await c.createAppender('hosts');
    for (const host of hostnames) {
      h.appendVarchar(host);
      h.endRow();
    }
    h.closeSync();
    await c.run(clientLookupSql('agents', 'ua', settings.appTokens));
    await createHostLookup(c, 'hosts', 'hostname', settings.textShareSites);

    const peerClients = (await c.runAndReadAll('SELECT ua, kind, client FROM ua_lookup')).getRowsJS();
    expect(peerClients.length).toBe(new Set(agents).size);
    for (const [ua, kind, client] of peerClients) {
      const want = clients.classify(String(ua));
      expect({ ua, kind: Number(kind), client }).toEqual({ ua, kind: kinds[want.kind], client: want.key });
    }
    const peerHosts = (await c.runAndReadAll('SELECT hostname, dom, text_share, api_host FROM host_lookup')).getRowsJS();
    expect(peerHosts.length).toBe(new Set(hostnames).size);
    for (const [host, dom, textShare, apiHost] of peerHosts) {
      const key = domains.key(String(host));
      expect({ host, dom, textShare: Number(textShare), apiHost: Number(apiHost) }).toEqual({
        host,
        dom: key,
        textShare: domains.isTextShare(key) ? 1 : 0,
        apiHost: isApi(String(host), '/') ? 1 : 0,
      });
    }
    return peerClients.length + peerHosts.length;
  });
}

describe("the benchmark peer's own classification agrees with the product's", () => {
  let compared = 0;
  for (const name of caseNames()) {
    it(`case ${name}`, async () => {
      const c = loadCase(name);
      const fields = new Set<string>(EXTRA_AGENTS);
      for (const f of readdirSync(c.dir).filter((n) => n.startsWith('input'))) {
        for (const v of fieldsOf(readFileSync(join(CASES_DIR, name, f), 'utf8'))) fields.add(v);
      }
      const hostnames = new Set([...fields].map((f) => urlParts(f).hostname));
      // A case holds at least a few dozen distinct fields; fewer means its inputs were not read.
      expect(fields.size).toBeGreaterThan(EXTRA_AGENTS.length + 10);
      compared += await compare(c.settings, [...fields], [...hostnames]);
    });
  }
  it('compared every case', () => {
    expect(caseNames().length).toBeGreaterThanOrEqual(40);
    expect(compared).toBeGreaterThan(caseNames().length * 50);
  });
});
