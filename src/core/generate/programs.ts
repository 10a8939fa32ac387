import type { Random } from './random';

/**
 * The Windows programs behind the generated requests, as an endpoint sees
 * them: the image, its command line, the account it runs as and its parent.
 * A URL entry names its program (entries.ts `program`): `browser`, a habit's
 * id (habits.ts) or `implant`. Paths, command lines and parents are those
 * of real installs (per-user apps under the user's AppData).
 */

/** Version information of an image, as Sysmon 1 and Defender show it. */
interface ImageInfo {
  company: string;
  product: string;
  description: string;
  version: string;
  original: string;
  size: number;
}

/** A process the logs do not show starting (it started before the day's data), known only as a parent. */
export interface Ambient {
  id: string;
  image: string;
  commandLine: string;
  account: Account;
  /** Its own parent's file name (Defender's InitiatingProcessParentFileName). */
  parentName: string;
}

type Account = 'user' | 'system' | 'network';

/** What a run's command line may draw on (`{user}` in it stands for the user's name). */
interface RunContext {
  /** The run's first request, with its scheme. */
  url: string;
  rng: Random;
}

export interface Program {
  /** `{user}` stands for the user's name. */
  image: string;
  commandLine(ctx: RunContext): string;
  account: Account;
  /** Started once a day before its first connection; otherwise one process per run. */
  lasting: boolean;
  /** A Program parent's start is in the logs too, just before its child's. */
  parent: Ambient | Program;
  info: ImageInfo;
}

export function isProgram(p: Ambient | Program): p is Program {
  return 'lasting' in p;
}

const SYSTEM32 = String.raw`C:\Windows\System32`;
const POWERSHELL = String.raw`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`;
const MS = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';

const ambient = (id: string, image: string, commandLine: string, account: Account, parentName: string): Ambient => ({
  id,
  image,
  commandLine,
  account,
  parentName,
});

const AMBIENT = {
  explorer: ambient('explorer', String.raw`C:\Windows\explorer.exe`, String.raw`C:\Windows\Explorer.EXE`, 'user', 'userinit.exe'),
  services: ambient(
    'services',
    `${SYSTEM32}\\services.exe`,
    String.raw`C:\Windows\system32\services.exe`,
    'system',
    'wininit.exe',
  ),
  schedule: ambient(
    'schedule',
    `${SYSTEM32}\\svchost.exe`,
    String.raw`C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule`,
    'system',
    'services.exe',
  ),
  cmd: ambient('cmd', `${SYSTEM32}\\cmd.exe`, String.raw`"C:\Windows\System32\cmd.exe" `, 'user', 'explorer.exe'),
  powershell: ambient('powershell', POWERSHELL, `"${POWERSHELL}" `, 'user', 'explorer.exe'),
  git: ambient(
    'git',
    String.raw`C:\Program Files\Git\mingw64\bin\git.exe`,
    String.raw`"C:\Program Files\Git\mingw64\bin\git.exe" pull`,
    'user',
    'cmd.exe',
  ),
} as const;

const info = (company: string, product: string, description: string, version: string, original: string, size: number) => ({
  company,
  product,
  description,
  version,
  original,
  size,
});

const quoted = (image: string, rest = ''): string => `"${image}"${rest === '' ? ' ' : ' ' + rest}`;

/** A program started once a day by the user from the shell. */
function app(image: string, meta: ImageInfo, args = '', parent: Ambient | Program = AMBIENT.explorer): Program {
  return { image, commandLine: () => quoted(image, args), account: 'user', lasting: true, parent, info: meta };
}

/** A browser's network service: the child of the browser process that makes its connections. */
function networkService(image: string, meta: ImageInfo, handle: number): Program {
  const main = app(image, meta);
  return {
    image,
    commandLine: ({ rng }) =>
      quoted(
        image,
        `--type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=${handle} --field-trial-handle=${1900 + rng.int(200)},i,${rng.range(1e15, 9e15)},${rng.range(1e15, 9e15)},262144 /prefetch:11`,
      ),
    account: 'user',
    lasting: true,
    parent: main,
    info: meta,
  };
}

const CHROME = String.raw`C:\Program Files\Google\Chrome\Application\chrome.exe`;
const EDGE = String.raw`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`;
const FIREFOX = String.raw`C:\Program Files\Mozilla Firefox\firefox.exe`;

const BROWSERS = {
  chrome: networkService(
    CHROME,
    info('Google LLC', 'Google Chrome', 'Google Chrome', '138.0.7204.184', 'chrome.exe', 3_271_448),
    2248,
  ),
  edge: networkService(EDGE, info(MS, 'Microsoft Edge', 'Microsoft Edge', '138.0.3351.95', 'msedge.exe', 4_129_816), 2356),
  // Firefox makes its connections in its main process.
  firefox: app(FIREFOX, info('Mozilla Corporation', 'Firefox', 'Firefox', '142.0.1', 'firefox.exe', 700_824)),
} as const;

/** The host's browser, told by the User-Agent it sends. */
function browserOf(userAgent: string): Program {
  if (userAgent.includes('Edg/')) return BROWSERS.edge;
  if (userAgent.includes('Firefox/')) return BROWSERS.firefox;
  return BROWSERS.chrome;
}

/** A tool run anew each time, from `parent`. */
function tool(
  image: string,
  meta: ImageInfo,
  args: (ctx: RunContext) => string,
  parent: Ambient | Program,
  account: Account = 'user',
): Program {
  return { image, commandLine: (ctx) => quoted(image, args(ctx)), account, lasting: false, parent, info: meta };
}

/** A Windows service in its svchost group, started by the service control manager. */
function service(group: string, name: string, account: Account): Program {
  return {
    image: `${SYSTEM32}\\svchost.exe`,
    commandLine: () => `C:\\Windows\\system32\\svchost.exe -k ${group} -p -s ${name}`,
    account,
    lasting: true,
    parent: AMBIENT.services,
    info: info(MS, WINDOWS, 'Host Process for Windows Services', '10.0.19041.4355', 'svchost.exe', 55_320),
  };
}

const PYTHON = String.raw`C:\Users\{user}\AppData\Local\Programs\Python\Python312\python.exe`;
const pythonInfo = info('Python Software Foundation', 'Python', 'Python', '3.12.6', 'py.exe', 103_192);

/** The Windows program of each habit that Windows desktops have (habits.ts). */
const HABIT_PROGRAMS: Readonly<Record<string, Program>> = {
  bits: service('netsvcs', 'BITS', 'system'),
  cryptoapi: service('NetworkService', 'CryptSvc', 'network'),
  googleupdate: tool(
    String.raw`C:\Program Files (x86)\Google\Update\GoogleUpdate.exe`,
    info('Google LLC', 'Google Update', 'Google Installer', '1.3.36.443', 'GoogleUpdate.exe', 162_072),
    () => '/ua /installsource scheduler',
    AMBIENT.schedule,
    'system',
  ),
  outlook: app(
    String.raw`C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`,
    info(MS, 'Microsoft Outlook', 'Microsoft Outlook', '16.0.18025.20160', 'Outlook.exe', 43_870_120),
  ),
  'word-links': tool(
    String.raw`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`,
    info(MS, 'Microsoft Office', 'Microsoft Word', '16.0.18025.20160', 'WinWord.exe', 1_628_584),
    ({ rng }) => `/n "C:\\Users\\{user}\\Documents\\${rng.pick(['Q3 review.docx', 'Onboarding.docx', 'Team notes.docx'])}" /o ""`,
    AMBIENT.explorer,
  ),
  teams: app(
    String.raw`C:\Users\{user}\AppData\Local\Microsoft\Teams\current\Teams.exe`,
    info(MS, 'Microsoft Teams', 'Microsoft Teams', '1.7.00.21751', 'Teams.exe', 134_918_784),
    '--system-initiated',
  ),
  slack: app(
    String.raw`C:\Users\{user}\AppData\Local\slack\app-4.41.105\slack.exe`,
    info('Slack Technologies Inc.', 'Slack', 'Slack', '4.41.105', 'slack.exe', 171_009_536),
    '--startup',
  ),
  zoom: tool(
    String.raw`C:\Users\{user}\AppData\Roaming\Zoom\bin\Zoom.exe`,
    info('Zoom Video Communications, Inc.', 'Zoom', 'Zoom Meetings', '6.2.11.52916', 'Zoom.exe', 483_224),
    ({ rng }) => `"--url=zoommtg://us05web.zoom.us/join?action=join&confno=${rng.range(80_000_000_000, 89_999_999_999)}"`,
    AMBIENT.explorer,
  ),
  spotify: app(
    String.raw`C:\Users\{user}\AppData\Roaming\Spotify\Spotify.exe`,
    info('Spotify Ltd', 'Spotify', 'Spotify', '1.2.48.405', 'Spotify.exe', 24_641_024),
    '--autostart --minimized',
  ),
  git: tool(
    String.raw`C:\Program Files\Git\mingw64\libexec\git-core\git-remote-https.exe`,
    info('The Git Development Community', 'Git', 'Git for Windows', '2.46.2.windows.1', 'git-remote-https.exe', 1_772_064),
    ({ url }) => `origin ${url.slice(0, url.indexOf('.git') + 4)}`,
    AMBIENT.git,
  ),
  npm: tool(
    String.raw`C:\Program Files\nodejs\node.exe`,
    info('Node.js', 'Node.js', 'Node.js JavaScript Runtime', '20.17.0', 'node.exe', 75_468_440),
    () => String.raw`"C:\Program Files\nodejs\node_modules\npm\bin\npm-cli.js" install`,
    AMBIENT.cmd,
  ),
  pip: tool(PYTHON, pythonInfo, () => '-m pip install -r requirements.txt', AMBIENT.cmd),
  'python-requests': tool(PYTHON, pythonInfo, () => String.raw`C:\Users\{user}\src\tools\open_prs.py`, AMBIENT.powershell),
  'curl-dev': tool(
    `${SYSTEM32}\\curl.exe`,
    info('curl, https://curl.se/', 'The curl executable', 'The curl executable', '8.7.1', 'curl.exe', 565_248),
    ({ url }) => `-fsSLO ${url}`,
    AMBIENT.cmd,
  ),
  go: tool(
    String.raw`C:\Program Files\Go\bin\go.exe`,
    info('', '', '', '', '', 15_287_296),
    ({ url }) => `list -m -versions ${url.slice(url.indexOf('/github.com/') + 1, url.indexOf('/@v/'))}`,
    AMBIENT.cmd,
  ),
  vscode: app(
    String.raw`C:\Users\{user}\AppData\Local\Programs\Microsoft VS Code\Code.exe`,
    info(MS, 'Visual Studio Code', 'Visual Studio Code', '1.94.2', 'electron.exe', 169_751_384),
  ),
};

/**
 * The implant of the scripted stitching scenario (scenarios.ts): dropped in
 * the user's roaming profile and started by PowerShell with an encoded
 * command, which the user's shell started (a shortcut or a document macro).
 */
const STAGER_COMMAND =
  'UwB0AGEAcgB0AC0AUAByAG8AYwBlAHMAcwAgACIAJABlAG4AdgA6AEEAUABQAEQAQQBUAEEAXABNAGkAYwByAG8AcwBvAGYAdABcAFcAaQBuAGQAbwB3AHMAXABVAHAAZABhAHQAZQByAFwAdQBwAGQAYQB0AGUAcgAuAGUAeABlACIAIAAtAEEAcgBnAHUAbQBlAG4AdABMAGkAcwB0ACAAIgBzAHkAbgBjACIAIAAtAFcAaQBuAGQAbwB3AFMAdAB5AGwAZQAgAEgAaQBkAGQAZQBuAA==';
const STAGER: Program = {
  image: POWERSHELL,
  // The base64 is UTF-16LE of: Start-Process "$env:APPDATA\Microsoft\Windows\Updater\updater.exe" -ArgumentList "sync" -WindowStyle Hidden
  commandLine: () => quoted(POWERSHELL, `-nop -w hidden -enc ${STAGER_COMMAND}`),
  account: 'user',
  lasting: false,
  parent: AMBIENT.explorer,
  info: info(MS, WINDOWS, 'Windows PowerShell', '10.0.19041.3996', 'PowerShell.EXE', 450_560),
};
export const IMPLANT: Program = tool(
  String.raw`C:\Users\{user}\AppData\Roaming\Microsoft\Windows\Updater\updater.exe`,
  info('', '', '', '', '', 2_318_336),
  () => 'sync',
  STAGER,
);

/** The program that made an entry on a Windows desktop with this browser, or null when no endpoint logs it. */
export function programOf(program: string, browserUa: string): Program | null {
  if (program === 'browser') return browserOf(browserUa);
  if (program === 'implant') return IMPLANT;
  return HABIT_PROGRAMS[program] ?? null;
}

/** `{user}` in an image path or a command line, filled in. */
export function imagePath(image: string, user: string): string {
  return image.split('{user}').join(user);
}
