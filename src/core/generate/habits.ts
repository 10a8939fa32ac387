import type { Os, Request } from './entries';
import type { Random } from './random';

/**
 * Non-browser software that runs on many hosts: desktop apps on a browser
 * engine, updaters, dev tools, server agents. Every host that has a habit
 * runs it at least once each weekday (servers every day), and each run
 * requests the same (client, domain) keys with the same upload-ness. A 30-day
 * window always holds a weekday, and the 14-day activation holds several, so
 * whenever an alert is possible every habit key has been seen in the window by
 * its host and by at least 3 other hosts: background traffic can never raise
 * an alert, whatever the seed. Each habit is on at least MIN_POPULATION hosts
 * for that.
 */
export interface Habit {
  id: string;
  /** Share of the eligible hosts that have it. */
  share: number;
  eligible(os: Os, server: boolean): boolean;
  userAgent(rng: Random, os: Os): string;
  /** One run. */
  visit(rng: Random): Request[];
}

export const MIN_POPULATION = 4;

const REPOS = ['platform', 'billing-api', 'infra-terraform', 'web-frontend', 'data-pipeline', 'mobile-app'];
const NPM = ['react', 'typescript', 'vite', 'lodash', 'express', 'eslint', '@types%2fnode', 'zod'];
const PYPI = ['requests', 'numpy', 'pandas', 'boto3', 'pydantic', 'urllib3', 'pytest'];
const GO_MODS = ['cobra', 'viper', 'zap', 'testify'];

const windows = (os: Os, server: boolean): boolean => os === 'windows' && !server;
const desktop = (_os: Os, server: boolean): boolean => !server;
const server = (_os: Os, isServer: boolean): boolean => isServer;

function osToken(os: Os): string {
  return os === 'mac' ? 'Macintosh; Intel Mac OS X 10_15_7' : 'Windows NT 10.0; Win64; x64';
}

function uuid(rng: Random): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
}

const IT = 'computer-and-internet-info';

export const HABITS: readonly Habit[] = [
  {
    id: 'bits',
    share: 0.25,
    eligible: windows,
    userAgent: () => 'Microsoft BITS/7.8',
    visit: (rng) => [
      {
        method: 'get',
        url: `${rng.range(7, 12)}.tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/${uuid(rng)}?P1=${rng.range(1_700_000_000, 1_799_999_999)}&P2=404&P3=2&P4=${rng.token(24)}`,
        contentType: 'application/octet-stream',
        category: IT,
        app: 'ms-update',
        port: 80,
      },
    ],
  },
  {
    id: 'cryptoapi',
    share: 0.25,
    eligible: windows,
    userAgent: () => 'Microsoft-CryptoAPI/10.0',
    visit: (rng) => [
      {
        method: 'get',
        url: `ocsp.digicert.com/MFEwTzBNMEswSTAJBgUrDgMCGgUABBS${rng.token(20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
        contentType: 'application/ocsp-response',
        category: IT,
        app: 'ocsp',
        port: 80,
      },
    ],
  },
  {
    id: 'googleupdate',
    share: 0.25,
    eligible: windows,
    userAgent: () => 'GoogleUpdate/1.3.36.443;winhttp;cup-ecdsa',
    // A POST with no byte count is an upload to a website UI: this is the
    // "common tool must not alert" case of the background.
    visit: (rng) => [
      {
        method: 'post',
        url: `update.googleapis.com/service/update2/json?cup2key=14:${rng.range(100_000_000, 999_999_999)}&cup2hreq=${rng.hex(64)}`,
        contentType: 'application/json',
        category: IT,
        app: 'google-update',
      },
    ],
  },
  {
    id: 'outlook',
    share: 0.3,
    eligible: windows,
    userAgent: (rng) => `Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.${rng.range(18025, 18129)}; Pro)`,
    visit: (rng) => [
      {
        method: 'post',
        url: `outlook.office365.com/mapi/emsmdb/?MailboxId=${uuid(rng)}@corp.example`,
        contentType: 'application/mapi-http',
        category: 'web-based-email',
        app: 'ms-exchange-online',
      },
    ],
  },
  {
    id: 'word-links',
    share: 0.15,
    eligible: windows,
    // Office's protocol discovery when a link in a document is opened: an HTML page from a non-browser.
    userAgent: () => 'Microsoft Office Word 2014',
    visit: (rng) => [
      {
        method: 'get',
        url: `corpnet.sharepoint.com/sites/${rng.pick(['Finance', 'HR', 'Sales', 'Engineering'])}/SitePages/Home.aspx`,
        contentType: 'text/html; charset=utf-8',
        category: 'online-storage-and-backup',
        app: 'sharepoint-online',
      },
    ],
  },
  {
    id: 'teams',
    share: 0.3,
    eligible: windows,
    userAgent: (rng) =>
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/1.7.00.${rng.range(10000, 29999)} Chrome/114.0.5735.289 Electron/25.9.8 Safari/537.36`,
    visit: (rng) => [
      {
        method: 'get',
        url: `teams.microsoft.com/_#/conversations/General?threadId=19:${rng.hex(32)}@thread.tacv2`,
        contentType: 'text/html',
        category: IT,
        app: 'ms-teams',
      },
      {
        method: 'post',
        url: `teams.microsoft.com/api/chatsvc/emea/v1/users/ME/conversations/19:${rng.hex(32)}@thread.v2/messages`,
        contentType: 'application/json',
        category: IT,
        app: 'ms-teams',
      },
    ],
  },
  {
    id: 'slack',
    share: 0.25,
    eligible: desktop,
    userAgent: (rng, os) => {
      const v = rng.pick(['4.41.105', '4.40.133', '4.42.117']);
      return `Mozilla/5.0 (${osToken(os)}) AppleWebKit/537.36 (KHTML, like Gecko) Slack/${v} Chrome/130.0.6723.191 Electron/33.2.1 Safari/537.36 Sonic Slack_SSB/${v}`;
    },
    visit: (rng) => [
      {
        method: 'get',
        url: `app.slack.com/client/T024BE7LD/C0${rng.token(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
        contentType: 'text/html',
        category: 'internet-communications-and-telephony',
        app: 'slack-base',
      },
    ],
  },
  {
    id: 'zoom',
    share: 0.15,
    eligible: desktop,
    userAgent: (_rng, os) =>
      `Mozilla/5.0 (${osToken(os)}) AppleWebKit/537.36 (KHTML, like Gecko) Zoom/6.2.11 Chrome/126.0.6478.234 Electron/31.7.7 Safari/537.36`,
    visit: (rng) => [
      {
        method: 'get',
        url: `us05web.zoom.us/wc/${rng.range(80_000_000_000, 89_999_999_999)}/join`,
        contentType: 'text/html;charset=utf-8',
        category: 'internet-communications-and-telephony',
        app: 'zoom',
      },
    ],
  },
  {
    id: 'spotify',
    share: 0.1,
    eligible: desktop,
    userAgent: (_rng, os) =>
      `Spotify/1.2.48.405 ${os === 'mac' ? 'OSX_ARM64/OS X 14.6.1 [arm 2]' : 'Win32_x86_64/0 (PC desktop)'}`,
    visit: () => [
      {
        method: 'get',
        url: 'apresolve.spotify.com/?type=dealer&type=spclient',
        contentType: 'application/json',
        category: 'music',
        app: 'spotify-base',
      },
    ],
  },
  {
    id: 'git',
    share: 0.05,
    eligible: desktop,
    userAgent: (_rng, os) => (os === 'windows' ? 'git/2.46.2.windows.1' : 'git/2.46.2'),
    visit: (rng) => {
      const repo = rng.pick(REPOS);
      return [
        {
          method: 'get',
          url: `github.com/corp-eng/${repo}.git/info/refs?service=git-upload-pack`,
          contentType: 'application/x-git-upload-pack-advertisement',
          category: IT,
          app: 'git-base',
        },
        {
          method: 'post',
          url: `github.com/corp-eng/${repo}.git/git-upload-pack`,
          contentType: 'application/x-git-upload-pack-result',
          category: IT,
          app: 'git-base',
        },
      ];
    },
  },
  {
    id: 'npm',
    share: 0.04,
    eligible: desktop,
    userAgent: (_rng, os) => `npm/10.8.2 node/v20.17.0 ${os === 'mac' ? 'darwin' : 'win32'} x64 workspaces/false`,
    visit: (rng) => [
      { method: 'get', url: `registry.npmjs.org/${rng.pick(NPM)}`, contentType: 'application/json', category: IT, app: 'npm' },
    ],
  },
  {
    id: 'pip',
    share: 0.04,
    eligible: desktop,
    userAgent: (_rng, os) =>
      `pip/24.2 {"ci":null,"cpu":"x86_64","implementation":{"name":"CPython","version":"3.12.6"},"installer":{"name":"pip","version":"24.2"},"python":"3.12.6","system":{"name":"${os === 'mac' ? 'Darwin' : 'Windows'}","release":"${os === 'mac' ? '23.6.0' : '10'}"}}`,
    visit: (rng) => {
      const pkg = rng.pick(PYPI);
      return [
        { method: 'get', url: `pypi.org/simple/${pkg}/`, contentType: 'text/html', category: IT, app: 'python-pip' },
        {
          method: 'get',
          url: `files.pythonhosted.org/packages/${rng.hex(2)}/${rng.hex(2)}/${rng.hex(60)}/${pkg}-2.${rng.range(0, 32)}.0-py3-none-any.whl`,
          contentType: 'application/octet-stream',
          category: IT,
          app: 'python-pip',
        },
      ];
    },
  },
  {
    id: 'python-requests',
    share: 0.04,
    eligible: desktop,
    userAgent: () => 'python-requests/2.32.3',
    visit: (rng) => [
      {
        method: 'get',
        url: `api.github.com/repos/corp-eng/${rng.pick(REPOS)}/pulls?state=open&per_page=100`,
        contentType: 'application/json; charset=utf-8',
        category: IT,
        app: 'github-base',
      },
    ],
  },
  {
    id: 'curl-dev',
    share: 0.04,
    eligible: desktop,
    userAgent: () => 'curl/8.7.1',
    visit: (rng) => [
      {
        method: 'get',
        url: `raw.githubusercontent.com/corp-eng/${rng.pick(REPOS)}/main/scripts/bootstrap.sh`,
        contentType: 'text/plain; charset=utf-8',
        category: IT,
        app: 'github-base',
      },
    ],
  },
  {
    id: 'go',
    share: 0.03,
    eligible: desktop,
    userAgent: () => 'Go-http-client/1.1',
    visit: (rng) => [
      {
        method: 'get',
        url: `proxy.golang.org/github.com/corp-eng/${rng.pick(GO_MODS)}/@v/list`,
        contentType: 'text/plain; charset=utf-8',
        category: IT,
        app: 'web-browsing',
      },
    ],
  },
  {
    id: 'vscode',
    share: 0.05,
    eligible: desktop,
    userAgent: (_rng, os) =>
      `Mozilla/5.0 (${osToken(os)}) AppleWebKit/537.36 (KHTML, like Gecko) Code/1.94.2 Chrome/124.0.6367.243 Electron/30.5.1 Safari/537.36`,
    visit: (rng) => [
      {
        method: 'post',
        url: 'marketplace.visualstudio.com/_apis/public/gallery/extensionquery',
        contentType: 'application/json; charset=utf-8',
        category: IT,
        app: 'ms-visual-studio-tfs-base',
      },
      {
        method: 'get',
        url: `update.code.visualstudio.com/api/update/win32-x64-user/stable/${rng.hex(40)}`,
        contentType: 'application/json',
        category: IT,
        app: 'web-browsing',
      },
    ],
  },
  {
    id: 'apt',
    share: 1,
    eligible: server,
    userAgent: () => 'Debian APT-HTTP/1.3 (2.6.1)',
    visit: () => [
      {
        method: 'get',
        url: 'deb.debian.org/debian/dists/bookworm-updates/InRelease',
        contentType: '',
        category: IT,
        app: 'apt-get',
        port: 80,
      },
      {
        method: 'get',
        url: 'security.debian.org/debian-security/dists/bookworm-security/main/binary-amd64/Packages.xz',
        contentType: 'application/x-xz',
        category: IT,
        app: 'apt-get',
        port: 80,
      },
    ],
  },
  {
    id: 'telemetry',
    share: 1,
    eligible: server,
    userAgent: () => 'Go-http-client/1.1',
    visit: () => [
      {
        method: 'post',
        url: 'collector.telemetry-vendor.com/v1/metrics',
        contentType: 'application/json',
        category: IT,
        app: 'web-browsing',
      },
    ],
  },
  {
    id: 'checkip',
    share: 0.5,
    eligible: server,
    userAgent: () => 'curl/7.88.1',
    visit: () => [
      {
        method: 'get',
        url: 'checkip.amazonaws.com/',
        contentType: 'text/plain;charset=UTF-8',
        category: IT,
        app: 'web-browsing',
      },
    ],
  },
];

export const HABIT_BY_ID: ReadonlyMap<string, Habit> = new Map(HABITS.map((h) => [h.id, h]));
