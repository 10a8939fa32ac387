import type { Os, Request } from './entries';
import type { Random } from './random';

/** Websites people browse, for the background traffic of browsers and undecrypted TLS. */
interface Site {
  host: string;
  category: string;
  app: string;
  weight: number;
  /** Paths as a browser requests them; `{n}` becomes digits, `{t}` a token. */
  paths: readonly string[];
  /** The URL Filtering profile blocks the category. */
  blocked?: boolean;
}

const SITES: readonly Site[] = [
  {
    host: 'www.google.com',
    category: 'search-engines',
    app: 'google-base',
    weight: 30,
    paths: [
      '/',
      '/search?q={t}&sourceid=chrome',
      '/complete/search?client=chrome&q={t}',
      '/images/branding/googlelogo/2x/googlelogo_color_272x92dp.png',
    ],
  },
  { host: 'www.bing.com', category: 'search-engines', app: 'bing', weight: 4, paths: ['/', '/search?q={t}&form=QBLH'] },
  {
    host: 'outlook.office.com',
    category: 'web-based-email',
    app: 'outlook-web-online',
    weight: 18,
    paths: ['/mail/', '/mail/inbox/id/{t}', '/owa/service.svc?action=GetItem&app=Mail&n={n}'],
  },
  {
    host: 'login.microsoftonline.com',
    category: 'computer-and-internet-info',
    app: 'ms-office365-base',
    weight: 8,
    paths: ['/common/oauth2/v2.0/authorize?client_id={t}', '/common/login'],
  },
  {
    host: 'corpnet.sharepoint.com',
    category: 'online-storage-and-backup',
    app: 'sharepoint-online',
    weight: 10,
    paths: [
      '/sites/Finance/Shared%20Documents/Forms/AllItems.aspx',
      '/sites/HR/SitePages/Home.aspx',
      '/_layouts/15/Doc.aspx?sourcedoc={t}',
    ],
  },
  {
    host: 'www.youtube.com',
    category: 'streaming-media',
    app: 'youtube-base',
    weight: 8,
    paths: ['/', '/watch?v={t}', '/youtubei/v1/player?key={t}'],
  },
  { host: 'i.ytimg.com', category: 'streaming-media', app: 'youtube-base', weight: 4, paths: ['/vi/{t}/hqdefault.jpg'] },
  {
    host: 'en.wikipedia.org',
    category: 'reference-and-research',
    app: 'web-browsing',
    weight: 6,
    paths: ['/wiki/Main_Page', '/wiki/Special:Search?search={t}', '/w/load.php?modules=startup&only=scripts'],
  },
  {
    host: 'github.com',
    category: 'computer-and-internet-info',
    app: 'github-base',
    weight: 6,
    paths: ['/', '/corp-eng/platform/pulls', '/corp-eng/platform/issues/{n}', '/notifications'],
  },
  {
    host: 'stackoverflow.com',
    category: 'computer-and-internet-info',
    app: 'web-browsing',
    weight: 5,
    paths: ['/questions/{n}/{t}', '/search?q={t}'],
  },
  {
    host: 'www.linkedin.com',
    category: 'social-networking',
    app: 'linkedin-base',
    weight: 5,
    paths: ['/feed/', '/in/{t}/', '/jobs/view/{n}/'],
  },
  { host: 'www.bbc.co.uk', category: 'news', app: 'web-browsing', weight: 4, paths: ['/news', '/news/articles/{t}', '/sport'] },
  { host: 'www.nytimes.com', category: 'news', app: 'web-browsing', weight: 3, paths: ['/', '/2026/09/{n}/technology/{t}.html'] },
  { host: 'www.reuters.com', category: 'news', app: 'web-browsing', weight: 3, paths: ['/world/', '/technology/{t}/'] },
  { host: 'www.amazon.com', category: 'shopping', app: 'amazon-base', weight: 4, paths: ['/', '/s?k={t}', '/dp/B0{n}'] },
  {
    host: 'docs.google.com',
    category: 'online-storage-and-backup',
    app: 'google-docs-base',
    weight: 5,
    paths: ['/document/d/{t}/edit', '/spreadsheets/d/{t}/edit#gid=0'],
  },
  {
    host: 'drive.google.com',
    category: 'online-storage-and-backup',
    app: 'google-drive-web',
    weight: 3,
    paths: ['/drive/my-drive', '/file/d/{t}/view'],
  },
  {
    host: 'www.dropbox.com',
    category: 'online-storage-and-backup',
    app: 'dropbox-base',
    weight: 2,
    paths: ['/home', '/scl/fi/{t}/report.pdf?dl=0'],
  },
  {
    host: 'corp.atlassian.net',
    category: 'business-and-economy',
    app: 'atlassian-jira',
    weight: 7,
    paths: ['/jira/software/projects/OPS/boards/{n}', '/browse/OPS-{n}', '/wiki/spaces/ENG/pages/{n}'],
  },
  {
    host: 'app.hubspot.com',
    category: 'business-and-economy',
    app: 'hubspot',
    weight: 2,
    paths: ['/contacts/{n}/objects/0-1/views/all/list'],
  },
  {
    host: 'corp.my.salesforce.com',
    category: 'business-and-economy',
    app: 'salesforce-base',
    weight: 3,
    paths: ['/lightning/page/home', '/lightning/r/Account/{t}/view'],
  },
  {
    host: 'www.reddit.com',
    category: 'social-networking',
    app: 'reddit-base',
    weight: 3,
    paths: ['/', '/r/sysadmin/comments/{t}/'],
  },
  { host: 'news.ycombinator.com', category: 'news', app: 'web-browsing', weight: 2, paths: ['/', '/item?id={n}'] },
  { host: 'weather.com', category: 'news', app: 'web-browsing', weight: 2, paths: ['/weather/today/l/{t}'] },
  { host: 'www.espn.com', category: 'sports', app: 'web-browsing', weight: 2, paths: ['/', '/nfl/story/_/id/{n}/{t}'] },
  { host: 'pastebin.com', category: 'online-storage-and-backup', app: 'pastebin', weight: 0.3, paths: ['/', '/{t}'] },
  {
    host: 'fonts.gstatic.com',
    category: 'content-delivery-networks',
    app: 'google-base',
    weight: 8,
    paths: ['/s/roboto/v32/{t}.woff2'],
  },
  {
    host: 'www.gstatic.com',
    category: 'content-delivery-networks',
    app: 'google-base',
    weight: 5,
    paths: ['/og/_/js/k=og.qtm.en_US.{t}.js'],
  },
  {
    host: 'cdn.jsdelivr.net',
    category: 'content-delivery-networks',
    app: 'web-browsing',
    weight: 3,
    paths: ['/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css', '/npm/jquery@3.7.1/dist/jquery.min.js'],
  },
  {
    host: 'ajax.googleapis.com',
    category: 'content-delivery-networks',
    app: 'google-base',
    weight: 2,
    paths: ['/ajax/libs/jquery/3.7.1/jquery.min.js'],
  },
  {
    host: 'static.licdn.com',
    category: 'content-delivery-networks',
    app: 'linkedin-base',
    weight: 2,
    paths: ['/aero-v1/sc/h/{t}.css'],
  },
  {
    host: 'securepubads.g.doubleclick.net',
    category: 'web-advertisements',
    app: 'doubleclick',
    weight: 6,
    paths: ['/gampad/ads?pvsid={n}&correlator={n}', '/tag/js/gpt.js'],
  },
  {
    host: 'www.googletagmanager.com',
    category: 'web-advertisements',
    app: 'google-analytics',
    weight: 5,
    paths: ['/gtag/js?id=G-{t}'],
  },
  {
    host: 'casino-royale-bonus.bet',
    category: 'gambling',
    app: 'web-browsing',
    weight: 0.2,
    paths: ['/', '/slots/{t}'],
    blocked: true,
  },
  {
    host: 'free-movies-hd.ws',
    category: 'copyright-infringement',
    app: 'web-browsing',
    weight: 0.2,
    paths: ['/watch/{t}'],
    blocked: true,
  },
];

const WEIGHTED: readonly (readonly [number, Site])[] = SITES.map((s) => [s.weight, s] as const);

function fill(rng: Random, path: string): string {
  return path.replace(/\{n\}/g, () => String(rng.range(1000, 99_999_999))).replace(/\{t\}/g, () => rng.token(rng.range(6, 12)));
}

function contentTypeOf(path: string): string {
  const bare = path.split('?')[0];
  if (/\.js$/.test(bare)) return 'application/javascript';
  if (/\.css$/.test(bare)) return 'text/css';
  if (/\.(png|jpg)$/.test(bare)) return bare.endsWith('.png') ? 'image/png' : 'image/jpeg';
  if (/\.woff2$/.test(bare)) return 'font/woff2';
  if (/\.pdf$/.test(bare)) return 'application/pdf';
  if (/^\/(youtubei|complete|owa\/service\.svc)/.test(bare)) return 'application/json';
  return 'text/html; charset=utf-8';
}

/** A decrypted page view by a browser: full URL, method, content type, referer. */
export function browserRequest(rng: Random): Request {
  const site = rng.weighted(WEIGHTED);
  const path = fill(rng, rng.pick(site.paths));
  const referer = rng.chance(0.5) ? `https://${site.host}/` : rng.chance(0.2) ? 'https://www.google.com/' : '';
  return {
    method: rng.chance(0.03) ? 'post' : 'get',
    url: site.host + path,
    contentType: rng.chance(0.1) ? '' : contentTypeOf(path),
    category: site.category,
    app: site.app,
    referer,
    action: site.blocked ? 'block-url' : 'alert',
  };
}

/** TLS the firewall does not decrypt: it logs the server name only, no method, type or User-Agent. */
export function undecryptedRequest(rng: Random): Request {
  const site = rng.weighted(WEIGHTED);
  return {
    method: '',
    url: site.host + '/',
    contentType: '',
    category: site.category,
    app: 'ssl',
    action: site.blocked ? 'block-url' : 'alert',
  };
}

const CHROME = [138, 139, 140, 141];
const FIREFOX = [141, 142, 143];

/** A browser User-Agent typical for the OS (the host keeps it for the whole dataset). */
export function browserUserAgent(rng: Random, os: Os): string {
  const chrome = rng.pick(CHROME);
  if (os === 'mac') {
    const which = rng.weighted([
      [5, 'safari'],
      [4, 'chrome'],
      [1, 'firefox'],
    ] as const);
    if (which === 'safari') {
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${rng.pick(['18.6', '26.0'])} Safari/605.1.15`;
    }
    if (which === 'firefox') {
      const v = rng.pick(FIREFOX);
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
    }
    return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`;
  }
  const which = rng.weighted([
    [55, 'chrome'],
    [35, 'edge'],
    [10, 'firefox'],
  ] as const);
  if (which === 'firefox') {
    const v = rng.pick(FIREFOX);
    return `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
  }
  const base = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`;
  return which === 'edge' ? `${base} Edg/${chrome}.0.${rng.range(3300, 3500)}.${rng.range(40, 99)}` : base;
}
