import type { VariationId } from '../settings/variations';
import type { Bytes, Host, Request, UrlEntry } from './entries';
import { IMPLANT, imagePath } from './programs';
import { mix, Random } from './random';

/**
 * The scripted part of the dataset: attacks that must raise each variation,
 * and near misses that must not. Each scenario states its own outcome, worked
 * out from the rules of docs/detection.md and the times it chose (never by running
 * the detector). Their (client, domain) keys are used by no background habit,
 * so background traffic cannot change these outcomes, nor they the background's.
 */

export const DAY_MS = 86_400_000;
/** The default settings (docs/detection.md "Settings") the outcomes below are reasoned with. */
const ACTIVATION_DAYS = 14;

export interface ExpectedAlert {
  variation: VariationId;
  host: string;
  client: string;
  domain: string;
  /** ISO 8601 UTC with milliseconds. */
  first_seen: string;
  count: number;
  why: string;
}

export interface NearMiss {
  why: string;
  host: string;
  /** The client key the detector derives; empty for a browser or an unknown client. */
  client: string;
  domain: string;
  /** The event that must not start an alert (ISO 8601 UTC with milliseconds). */
  time: string;
}

/** An alert that only the endpoint view gives (stitching names the process), with the process it names. */
export interface EndpointAlert extends ExpectedAlert {
  process: { image: string; command_line: string; parent_image: string };
}

/** A scenario is left out whole when the dataset ends before its last event. */
export interface Scenario {
  events: UrlEntry[];
  alerts: ExpectedAlert[];
  nearMisses: NearMiss[];
  endpointAlerts?: EndpointAlert[];
}

const UA = {
  powershell: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.4648',
  pythonRequests: 'python-requests/2.31.0',
  curl: 'curl/8.4.0',
  curlServer: 'curl/7.88.1',
  wget: 'Wget/1.21.4',
  rclone: 'rclone/v1.64.2',
  certutil: 'CertUtil URL Agent',
  cryptoapi: 'Microsoft-CryptoAPI/10.0',
  java: 'Java/17.0.9',
  headless:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
  go: 'Go-http-client/1.1',
  nodeFetch: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  okhttp: 'okhttp/4.12.0',
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36',
} as const;

const PASTE = { category: 'online-storage-and-backup', app: 'pastebin' } as const;

/** Picks distinct hosts for the scenarios, the same ones whatever the dataset length. */
class Cast {
  private readonly used = new Set<number>();
  private readonly order: Host[];

  constructor(hosts: readonly Host[], rng: Random) {
    this.order = rng.shuffle(hosts);
  }

  take(want: (h: Host) => boolean = (h) => !h.server): Host {
    const h = this.order.find((x) => !this.used.has(x.index) && want(x));
    if (h === undefined) throw new RangeError('not enough hosts for the scripted scenarios');
    this.used.add(h.index);
    return h;
  }
}

const windowsDesktop = (h: Host): boolean => h.os === 'windows' && !h.server;

/** What every scenario draws on: one random stream and one cast, shared in a fixed order, so each scenario's hosts and tokens stay the same. */
interface Script {
  rng: Random;
  cast: Cast;
  startMs: number;
  activeFrom: number;
  bytesSentKnown: boolean;
  /** The time of `hms` (hh:mm:ss, UTC) on the dataset's day `day`. */
  at: (day: number, hms: string) => number;
  ev: (host: Host, time: number, userAgent: string, req: Request, traffic?: Bytes | null) => UrlEntry;
  miss: (e: UrlEntry, client: string, domain: string, why: string) => NearMiss;
  alert: (variation: VariationId, e: UrlEntry, client: string, domain: string, count: number, why: string) => ExpectedAlert;
  pasteId: () => string;
}

function script(seed: number, startMs: number, hosts: readonly Host[], bytesSentKnown: boolean): Script {
  const rng = new Random(mix(seed, 0x5c41));
  const iso = (t: number): string => new Date(t).toISOString();
  return {
    rng,
    cast: new Cast(hosts, rng),
    startMs,
    activeFrom: startMs + ACTIVATION_DAYS * DAY_MS,
    bytesSentKnown,
    at: (day, hms) => {
      const [h, m, s] = hms.split(':').map(Number);
      return startMs + day * DAY_MS + ((h * 60 + m) * 60 + s) * 1000;
    },
    ev: (host, time, userAgent, req, traffic = null) => ({
      kind: 'url',
      time,
      host,
      user: host.user,
      userAgent,
      action: 'alert',
      session: 0,
      traffic,
      referer: '',
      // Scripted hosts other than the implant's have no endpoint logs (see endpoint.ts).
      program: '',
      run: 0,
      sourcePort: 0,
      natPort: 0,
      ...req,
    }),
    miss: (e, client, domain, why) => ({ why, host: e.host.ip, client, domain, time: iso(e.time) }),
    alert: (variation, e, client, domain, count, why) => ({
      variation,
      host: e.host.ip,
      client,
      domain,
      first_seen: iso(e.time),
      count,
      why,
    }),
    pasteId: () => rng.token(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
  };
}

/**
 * `bytesSentKnown`: whether the log form tells bytes sent (PAN-OS through
 * TRAFFIC rows, Zeek's request_body_len) or not (Suricata), which decides one
 * outcome (pythonPasteStager). The scenarios run in this order, as each draws
 * its hosts and tokens from the same stream.
 */
export function scenarios(seed: number, startMs: number, hosts: readonly Host[], bytesSentKnown = true): Scenario[] {
  const s = script(seed, startMs, hosts, bytesSentKnown);
  return [
    pinDataStart(s),
    pasteDownloadWhileLearning(s),
    activationEdge(s),
    powershellPasteUpload(s),
    pythonPasteStager(s),
    curlWebhookUpload(s),
    rcloneExfiltration(s),
    certutilDownload(s),
    serverIpCheck(s),
    javaPortalOutOfWindow(s),
    headlessScraper(s),
    simultaneousBeacons(s),
    ...apiCalls(s),
    browserAndUnknownOnPaste(s),
    // Last, so that the scenarios above keep their hosts and tokens.
    implantPasteUpload(s),
  ];
}

/** Pins the data start (the earliest event of any kind) to the first second, so activation is exactly start + 14 days. */
function pinDataStart({ cast, startMs, ev }: Script): Scenario {
  const first = ev(cast.take(), startMs, '', {
    method: '',
    url: 'login.microsoftonline.com/',
    contentType: '',
    category: 'computer-and-internet-info',
    app: 'ssl',
  });
  return { events: [first], alerts: [], nearMisses: [] };
}

/** A paste-site download during the activation period only feeds the baseline. */
function pasteDownloadWhileLearning({ cast, at, ev, miss, pasteId }: Script): Scenario {
  const e = ev(cast.take(), at(4, '10:12:33'), UA.curl, {
    method: 'get',
    url: `pastebin.com/raw/${pasteId()}`,
    contentType: 'text/plain; charset=utf-8',
    ...PASTE,
  });
  return {
    events: [e],
    alerts: [],
    nearMisses: [
      miss(
        e,
        'curl',
        'pastebin.com',
        'paste-site download by a non-browser during the 14-day activation period: it only feeds the baseline',
      ),
    ],
  };
}

/** The first instant of the active period alerts; one second before it does not. */
function activationEdge({ cast, activeFrom, ev, miss, alert, pasteId, rng }: Script): Scenario {
  const before = ev(cast.take(), activeFrom - 1000, UA.wget, {
    method: 'get',
    url: `pastebin.com/raw/${pasteId()}`,
    contentType: 'text/plain; charset=utf-8',
    ...PASTE,
  });
  const edge = ev(cast.take(), activeFrom, UA.wget, {
    method: 'get',
    url: `rentry.co/${rng.token(5)}/raw`,
    contentType: 'text/plain; charset=utf-8',
    category: 'online-storage-and-backup',
    app: 'web-browsing',
  });
  return {
    events: [before, edge],
    alerts: [
      alert(
        'text_share_download',
        edge,
        'wget',
        'rentry.co',
        1,
        'wget fetched a raw note from a text-share site at the first instant of the active period (t >= data start + 14 days)',
      ),
    ],
    nearMisses: [miss(before, 'wget', 'pastebin.com', 'paste-site download one second before the activation period ends')],
  };
}

/** PowerShell posting to a paste site: the high-severity upload, and both ends of the 24-hour dedup window it opens. */
function powershellPasteUpload({ cast, at, ev, miss, alert }: Script): Scenario {
  const host = cast.take(windowsDesktop);
  const t = at(17, '02:13:41');
  const post = (time: number, traffic: Bytes | null): UrlEntry =>
    ev(
      host,
      time,
      UA.powershell,
      { method: 'post', url: 'pastebin.com/api/api_post.php', contentType: 'text/plain; charset=utf-8', ...PASTE },
      traffic,
    );
  const first = post(t, { sent: 18_734, received: 412 });
  const within = post(t + 5 * 3_600_000 + 3 * 60_000, { sent: 2_210, received: 398 });
  const edge = post(t + DAY_MS, null);
  const after = post(t + DAY_MS + 1000, null);
  return {
    events: [first, within, edge, after],
    alerts: [
      alert(
        'text_share_upload',
        first,
        'windowspowershell',
        'pastebin.com',
        3,
        'PowerShell POSTed 18 KB to pastebin.com (bytes from the TRAFFIC row); two more posts within 24 h join the alert',
      ),
    ],
    nearMisses: [
      miss(
        within,
        'windowspowershell',
        'pastebin.com',
        'repeat 5 h after the first event: added to the alert (count), no new alert',
      ),
      miss(
        edge,
        'windowspowershell',
        'pastebin.com',
        'repeat exactly 24 h after the first event: the dedup window includes its end, so it is added to the alert',
      ),
      miss(
        after,
        'windowspowershell',
        'pastebin.com',
        'repeat 24 h + 1 s after the first event: outside the dedup window, and the host already has this key in its 30-day window, so no new alert',
      ),
    ],
  };
}

/** A script fetching raw pastes (stager pattern), and a small POST that is an upload only where bytes sent are unknown. */
function pythonPasteStager({ cast, at, ev, miss, alert, pasteId, bytesSentKnown }: Script): Scenario {
  const host = cast.take();
  const t = at(22, '14:05:09');
  const get = (time: number): UrlEntry =>
    ev(host, time, UA.pythonRequests, {
      method: 'get',
      url: `pastebin.com/raw/${pasteId()}`,
      contentType: 'text/plain; charset=utf-8',
      ...PASTE,
    });
  const first = get(t);
  const again = get(t + 3 * 3_600_000 + 11 * 60_000);
  const small = ev(
    host,
    at(23, '16:40:00'),
    UA.pythonRequests,
    { method: 'post', url: 'pastebin.com/api/api_post.php', contentType: 'text/plain; charset=utf-8', ...PASTE },
    { sent: 412, received: 1_180 },
  );
  const fetches = alert(
    'text_share_download',
    first,
    'python-requests',
    'pastebin.com',
    2,
    'a Python script fetched raw pastes (stager pattern); the second fetch 3 h later joins the alert',
  );
  const joined = miss(again, 'python-requests', 'pastebin.com', 'second fetch within 24 h: added to the alert');
  return bytesSentKnown
    ? {
        events: [first, again, small],
        alerts: [fetches],
        nearMisses: [
          joined,
          miss(
            small,
            'python-requests',
            'pastebin.com',
            'POST of 412 bytes (PAN-OS: from its TRAFFIC row, joined by serial + session id; Zeek: request_body_len): below 1024, so not an upload and no text_share_upload; as a download the host already has the key',
          ),
        ],
      }
    : {
        events: [first, again, small],
        alerts: [
          fetches,
          alert(
            'text_share_upload',
            small,
            'python-requests',
            'pastebin.com',
            1,
            'a POST of 412 bytes to a paste site: the log form does not tell bytes sent (Suricata), so the method alone makes it an upload, which the host never made before',
          ),
        ],
        nearMisses: [joined],
      };
}

/** A POST of exactly uploadMinBytes to a request-capture site: the smallest upload. */
function curlWebhookUpload({ cast, at, ev, alert, rng }: Script): Scenario {
  const e = ev(
    cast.take(),
    at(26, '03:31:07'),
    UA.curl,
    {
      method: 'post',
      url: `webhook.site/${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-b${rng.hex(3)}-${rng.hex(12)}`,
      contentType: 'text/plain; charset=UTF-8',
      category: 'computer-and-internet-info',
      app: 'web-browsing',
    },
    { sent: 1_024, received: 611 },
  );
  return {
    events: [e],
    nearMisses: [],
    alerts: [
      alert(
        'website_upload',
        e,
        'curl',
        'webhook.site',
        1,
        'curl POSTed to a request-capture site no one else uses; its TRAFFIC row shows exactly 1024 bytes sent, which is an upload (only fewer is not)',
      ),
    ],
  };
}

/** Files PUT to a file-drop site within ten minutes: exfiltration as one alert. */
function rcloneExfiltration({ cast, at, ev, alert }: Script): Scenario {
  const host = cast.take();
  const t = at(30, '01:02:03');
  const put = (dt: number, name: string, sent: number): UrlEntry =>
    ev(
      host,
      t + dt,
      UA.rclone,
      {
        method: 'put',
        url: `transfer.sh/${name}`,
        contentType: 'text/plain',
        category: 'online-storage-and-backup',
        app: 'web-browsing',
      },
      { sent, received: 240 },
    );
  // Large sessions: an upload whether the reader joins their bytes (>= 1024) or leaves them unknown.
  const events = [
    put(0, 'hr-export.csv', 48_211),
    put(250_000, 'crm-dump.tar.gz', 2_318_412),
    put(595_000, 'finance-q3.xlsx', 731_004),
  ];
  return {
    events,
    nearMisses: [],
    alerts: [
      alert(
        'website_upload',
        events[0],
        'rclone',
        'transfer.sh',
        3,
        'rclone PUT three files to a file-drop site within 10 minutes (exfiltration)',
      ),
    ],
  };
}

/** certutil fetching an executable: two User-Agents in one second, two alerts. */
function certutilDownload({ cast, at, ev, alert, rng }: Script): Scenario {
  const host = cast.take(windowsDesktop);
  const t = at(19, '09:14:22');
  const req: Request = {
    method: 'get',
    url: `dl.free-hosting-cdn.net/u/${rng.token(6)}/svchost.exe`,
    contentType: '',
    category: 'malware',
    app: 'web-browsing',
    action: 'block-url',
    port: 80,
  };
  // certutil -urlcache fetches with two User-Agents in the same second.
  const certutil = ev(host, t, UA.certutil, req);
  const crypto = ev(host, t, UA.cryptoapi, req);
  return {
    events: [certutil, crypto],
    nearMisses: [],
    alerts: [
      alert(
        'website_access',
        certutil,
        'certutil url agent',
        'free-hosting-cdn.net',
        1,
        'certutil downloading an executable from an unknown site; blocked by the firewall, which does not matter',
      ),
      alert(
        'website_access',
        crypto,
        'microsoft-cryptoapi',
        'free-hosting-cdn.net',
        1,
        'the CryptoAPI half of the same certutil download: a common client, but new for this site',
      ),
    ],
  };
}

/** A server's new daily cron job: it alerts once and then is its own baseline. */
function serverIpCheck({ cast, at, ev, miss, alert, rng }: Script): Scenario {
  const host = cast.take((h) => h.server);
  const runs: UrlEntry[] = [];
  for (let day = 20; day <= 27; day++) {
    runs.push(
      ev(host, at(day, '03:00:00') + rng.int(60) * 1000, UA.curlServer, {
        method: 'get',
        url: 'checkip.dyndns.org/',
        contentType: 'text/html',
        category: 'computer-and-internet-info',
        app: 'web-browsing',
        port: 80,
      }),
    );
  }
  // Daily runs a few seconds apart: the next day's run joins the alert only if it is within 24 h of the first.
  const joined = runs.slice(1).filter((r) => r.time <= runs[0].time + DAY_MS);
  return {
    events: runs,
    alerts: [
      alert(
        'website_access',
        runs[0],
        'curl',
        'dyndns.org',
        1 + joined.length,
        'a new cron job on a server checks its public IP address; it alerts once and then is its own baseline',
      ),
    ],
    nearMisses: runs
      .slice(1)
      .map((r) =>
        miss(
          r,
          'curl',
          'dyndns.org',
          joined.includes(r)
            ? 'next daily run within 24 h of the first: added to the alert'
            : 'later daily run: the host has the key in its own 30-day window',
        ),
      ),
  };
}

/** Hosts that used a key more than the window earlier no longer make it common. */
function javaPortalOutOfWindow({ cast, at, ev, miss, alert }: Script): Scenario {
  const req: Request = {
    method: 'get',
    url: 'legacy-erp-portal.com/login.jsp',
    contentType: 'text/html;charset=ISO-8859-1',
    category: 'business-and-economy',
    app: 'web-browsing',
  };
  const early = ['10:00:00', '10:20:00', '10:40:00'].map((hms) => ev(cast.take(), at(1, hms), UA.java, req));
  const common = ev(cast.take(), at(20, '11:30:00'), UA.java, req);
  const late = ev(cast.take(), at(33, '11:00:00'), UA.java, req);
  return {
    events: [...early, common, late],
    alerts: [
      alert(
        'website_access',
        late,
        'java',
        'legacy-erp-portal.com',
        1,
        'the 3 hosts that used this Java client on the site did so on day 1, more than 30 days earlier; only 1 other host is in the window',
      ),
    ],
    nearMisses: [
      ...early.map((e) => miss(e, 'java', 'legacy-erp-portal.com', 'during the activation period: feeds the baseline only')),
      miss(
        common,
        'java',
        'legacy-erp-portal.com',
        'common: 3 other hosts had this (client, site) in the 30-day window (rareHosts is 3)',
      ),
    ],
  };
}

/** Headless Chrome scraping a site page by page: one alert for the burst. */
function headlessScraper({ cast, at, ev, alert }: Script): Scenario {
  const host = cast.take();
  const t = at(27, '13:37:00');
  const pages = Array.from({ length: 6 }, (_, i) =>
    ev(host, t + i * 97_000, UA.headless, {
      method: 'get',
      url: `competitor-pricing-portal.com/products?page=${i + 1}`,
      contentType: 'text/html; charset=utf-8',
      category: 'shopping',
      app: 'web-browsing',
    }),
  );
  return {
    events: pages,
    nearMisses: [],
    alerts: [
      alert(
        'website_access',
        pages[0],
        'headlesschrome',
        'competitor-pricing-portal.com',
        6,
        'headless Chrome scraping a site page by page',
      ),
    ],
  };
}

/** Hosts beaconing in the same second do not see each other; one second later the key is common. */
function simultaneousBeacons({ cast, at, ev, miss, alert }: Script): Scenario {
  const t = at(35, '04:00:00');
  const req: Request = {
    method: 'get',
    url: 'update-check.badcdn.top/',
    contentType: 'text/html',
    category: 'newly-registered-domain',
    app: 'web-browsing',
    port: 80,
  };
  const same = [cast.take(), cast.take(), cast.take()].map((h) => ev(h, t, UA.go, req));
  const next = ev(cast.take(), t + 1000, UA.go, req);
  return {
    events: [...same, next],
    alerts: same.map((e) =>
      alert(
        'website_access',
        e,
        'go-http-client',
        'badcdn.top',
        1,
        'three hosts beacon at the same second: events with equal times do not see each other',
      ),
    ),
    nearMisses: [miss(next, 'go-http-client', 'badcdn.top', 'one second later 3 other hosts already had this key: common')],
  };
}

/** Scripts calling APIs on sites no one else uses: each for a reason that makes it not a website UI. */
function apiCalls({ cast, at, ev, miss }: Script): Scenario[] {
  interface ApiCall {
    day: number;
    hms: string;
    ua: string;
    client: string;
    domain: string;
    req: Request;
    traffic: Bytes | null;
    why: string;
  }
  const IT = 'computer-and-internet-info';
  const calls: ApiCall[] = [
    {
      day: 16,
      hms: '08:15:00',
      ua: UA.curl,
      client: 'curl',
      domain: 'ipify.org',
      traffic: null,
      req: { method: 'get', url: 'api.ipify.org/', contentType: '', category: IT, app: 'web-browsing' },
      why: 'the host name\'s first label is "api"',
    },
    {
      day: 18,
      hms: '12:00:00',
      ua: UA.go,
      client: 'go-http-client',
      domain: 'cloudsync-vendor.io',
      traffic: null,
      req: {
        method: 'get',
        url: 'api-eu.cloudsync-vendor.io/status',
        contentType: '',
        category: 'online-storage-and-backup',
        app: 'web-browsing',
      },
      why: 'the host name\'s first label starts with "api-"',
    },
    {
      day: 23,
      hms: '09:30:00',
      ua: UA.pythonRequests,
      client: 'python-requests',
      domain: 'rare-saas.io',
      traffic: { sent: 35_000, received: 90 },
      req: {
        method: 'post',
        url: 'crm-tools.rare-saas.io/api/upload',
        contentType: 'application/json',
        category: 'business-and-economy',
        app: 'web-browsing',
      },
      why: 'an upload to an /api/ path',
    },
    {
      day: 28,
      hms: '17:45:00',
      ua: UA.nodeFetch,
      client: 'node-fetch',
      domain: 'rare-integrations.com',
      traffic: null,
      req: {
        method: 'get',
        url: 'hooks.rare-integrations.com/v1/events?since=0',
        contentType: '',
        category: IT,
        app: 'web-browsing',
      },
      why: 'a /v1/ path',
    },
    {
      day: 31,
      hms: '06:20:00',
      ua: UA.okhttp,
      client: 'okhttp',
      domain: 'rare-mobile-backend.com',
      traffic: null,
      req: {
        method: 'get',
        url: 'config.rare-mobile-backend.com/app/settings',
        contentType: 'application/json; charset=utf-8',
        category: IT,
        app: 'web-browsing',
      },
      why: 'the response is JSON, not HTML',
    },
  ];
  // One call after another, in order: each takes its host from the cast.
  return calls.map((c) => {
    const e = ev(cast.take(), at(c.day, c.hms), c.ua, c.req, c.traffic);
    return {
      events: [e],
      alerts: [],
      nearMisses: [
        miss(e, c.client, c.domain, `a script calling an API on a site no one else uses: ${c.why}, so not a website UI`),
      ],
    };
  });
}

/** A browser and an undecrypted (unknown) client on paste sites: neither ever alerts. */
function browserAndUnknownOnPaste({ cast, at, ev, miss, pasteId }: Script): Scenario {
  const browserHost = cast.take();
  const browser = ev(browserHost, at(21, '15:02:11'), browserHost.browserUa, {
    method: 'get',
    url: `pastebin.com/raw/${pasteId()}`,
    contentType: 'text/plain; charset=utf-8',
    referer: 'https://pastebin.com/',
    ...PASTE,
  });
  const unknown = ev(cast.take(), at(24, '11:11:11'), '', {
    method: '',
    url: 'paste.ee/',
    contentType: '',
    category: 'online-storage-and-backup',
    app: 'ssl',
  });
  return {
    events: [browser, unknown],
    alerts: [],
    nearMisses: [
      miss(browser, '', 'pastebin.com', 'a browser on a paste site: browsers never alert'),
      miss(unknown, '', 'paste.ee', 'undecrypted TLS to a paste site: no User-Agent, so the client is unknown and never alerts'),
    ],
  };
}

/**
 * An implant that sends Chrome's User-Agent uploads to a text-share site.
 * The firewall sees a browser (no alert, not even a baseline entry); the
 * host's Sysmon logs updater.exe, started by PowerShell with an encoded
 * command, making that very connection, so with the endpoint view the
 * upload is the high-severity alert, named by its image.
 */
function implantPasteUpload({ cast, at, ev, miss, alert, rng }: Script): Scenario {
  const host = cast.take(windowsDesktop);
  const e = ev(
    host,
    at(25, '10:41:17'),
    UA.chrome,
    {
      method: 'post',
      url: 'hastebin.com/documents',
      contentType: 'application/json; charset=utf-8',
      category: 'online-storage-and-backup',
      app: 'web-browsing',
    },
    { sent: 36_418, received: 96 },
  );
  e.program = 'implant';
  const user = host.user.slice(host.user.indexOf('\\') + 1);
  const image = imagePath(IMPLANT.image, user);
  return {
    events: [e],
    alerts: [],
    nearMisses: [
      miss(
        e,
        '',
        'hastebin.com',
        "an implant's upload with Chrome's User-Agent: from the firewall's view alone it is a browser, which never alerts (the endpoint view names it: endpointAlerts)",
      ),
    ],
    endpointAlerts: [
      {
        ...alert(
          'text_share_upload',
          e,
          image.slice(image.lastIndexOf('\\') + 1).toLowerCase(),
          'hastebin.com',
          1,
          "updater.exe, dropped in the user's roaming profile and started by PowerShell with an encoded command, POSTed 36 KB to a text-share site with Chrome's User-Agent; only the endpoint's connection, stitched to the URL row, names it",
        ),
        process: {
          image,
          command_line: imagePath(IMPLANT.commandLine({ url: `https://${e.url}`, rng }), user),
          parent_image: IMPLANT.parent.image,
        },
      },
    ],
  };
}
