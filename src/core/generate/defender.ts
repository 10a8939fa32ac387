import { DOMAIN, type Endpoint, type EndpointEvent, type Proc } from './endpoint';
import { hashString, hexOf, mix, Random } from './random';

/**
 * The Defender hosts' endpoint events as Microsoft Defender for Endpoint's
 * advanced hunting exports them to CSV: `DeviceNetworkEvents` (connections,
 * with the initiating process's command line and parent on each row) and
 * `DeviceProcessEvents` (process starts), every column of each table in its
 * schema order, times as `2026-09-01T08:12:03.5121234Z`, paths and names as
 * the service writes them. Name lookups are not in these tables.
 */

/** The initiating process's image columns, the same run in both tables (imageCells gives their values). */
const INITIATING_IMAGE = [
  'InitiatingProcessSHA1',
  'InitiatingProcessSHA256',
  'InitiatingProcessMD5',
  'InitiatingProcessFileName',
  'InitiatingProcessFileSize',
  'InitiatingProcessVersionInfoCompanyName',
  'InitiatingProcessVersionInfoProductName',
  'InitiatingProcessVersionInfoProductVersion',
  'InitiatingProcessVersionInfoInternalFileName',
  'InitiatingProcessVersionInfoOriginalFileName',
  'InitiatingProcessVersionInfoFileDescription',
];

const NETWORK_COLUMNS: readonly string[] = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ActionType',
  'RemoteIP',
  'RemotePort',
  'RemoteUrl',
  'LocalIP',
  'LocalPort',
  'Protocol',
  'LocalIPType',
  'RemoteIPType',
  ...INITIATING_IMAGE,
  'InitiatingProcessId',
  'InitiatingProcessCommandLine',
  'InitiatingProcessCreationTime',
  'InitiatingProcessFolderPath',
  'InitiatingProcessParentFileName',
  'InitiatingProcessParentId',
  'InitiatingProcessParentCreationTime',
  'InitiatingProcessAccountDomain',
  'InitiatingProcessAccountName',
  'InitiatingProcessAccountSid',
  'InitiatingProcessAccountUpn',
  'InitiatingProcessAccountObjectId',
  'InitiatingProcessIntegrityLevel',
  'InitiatingProcessTokenElevation',
  'ReportId',
  'AppGuardContainerId',
  'AdditionalFields',
  'InitiatingProcessSessionId',
  'IsInitiatingProcessRemoteSession',
  'InitiatingProcessRemoteSessionDeviceName',
  'InitiatingProcessRemoteSessionIP',
];

const PROCESS_COLUMNS: readonly string[] = [
  'Timestamp',
  'DeviceId',
  'DeviceName',
  'ActionType',
  'FileName',
  'FolderPath',
  'SHA1',
  'SHA256',
  'MD5',
  'FileSize',
  'ProcessVersionInfoCompanyName',
  'ProcessVersionInfoProductName',
  'ProcessVersionInfoProductVersion',
  'ProcessVersionInfoInternalFileName',
  'ProcessVersionInfoOriginalFileName',
  'ProcessVersionInfoFileDescription',
  'ProcessId',
  'ProcessCommandLine',
  'ProcessIntegrityLevel',
  'ProcessTokenElevation',
  'ProcessCreationTime',
  'AccountDomain',
  'AccountName',
  'AccountSid',
  'AccountUpn',
  'AccountObjectId',
  'LogonId',
  'InitiatingProcessAccountDomain',
  'InitiatingProcessAccountName',
  'InitiatingProcessAccountSid',
  'InitiatingProcessAccountUpn',
  'InitiatingProcessAccountObjectId',
  'InitiatingProcessLogonId',
  'InitiatingProcessIntegrityLevel',
  'InitiatingProcessTokenElevation',
  ...INITIATING_IMAGE,
  'InitiatingProcessId',
  'InitiatingProcessCommandLine',
  'InitiatingProcessCreationTime',
  'InitiatingProcessFolderPath',
  'InitiatingProcessParentId',
  'InitiatingProcessParentFileName',
  'InitiatingProcessParentCreationTime',
  'InitiatingProcessSignerType',
  'InitiatingProcessSignatureStatus',
  'ReportId',
  'AppGuardContainerId',
  'AdditionalFields',
];

/** A cell as the export writes it: quoted when it holds a comma, a quote or a line break. */
function cell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function row(cells: readonly string[]): string {
  return cells.map(cell).join(',') + '\n';
}

/** Defender's times: ISO 8601 UTC with seven decimals (the ms, then digits of its own). */
function stamp(ms: number, sub: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(sub).padStart(4, '0')}Z`;
}

/** When a process started, the same on every row that names it. */
function started(proc: Proc): string {
  return stamp(proc.start, hashString(proc.guid) % 10_000);
}

function fileName(image: string): string {
  return image.slice(image.lastIndexOf('\\') + 1);
}

interface Account {
  domain: string;
  name: string;
  sid: string;
  upn: string;
  objectId: string;
  logonId: string;
  integrity: string;
  elevation: string;
  session: string;
}

function account(ep: Endpoint, proc: Proc): Account {
  if (proc.account !== 'user') {
    const network = proc.account === 'network';
    return {
      domain: 'nt authority',
      name: network ? 'network service' : 'system',
      sid: network ? 'S-1-5-20' : 'S-1-5-18',
      upn: '',
      objectId: '',
      logonId: network ? '996' : '999',
      integrity: 'System',
      elevation: 'TokenElevationTypeDefault',
      session: '0',
    };
  }
  const o = hexOf(`object:${ep.computer}`, 32);
  return {
    domain: ep.host.user.slice(0, ep.host.user.indexOf('\\')),
    name: ep.userName,
    sid: `S-1-5-21-1004336348-1177238915-682003330-${1_100 + ep.host.index}`,
    upn: `${ep.userName}@${DOMAIN}`,
    objectId: `${o.slice(0, 8)}-${o.slice(8, 12)}-${o.slice(12, 16)}-${o.slice(16, 20)}-${o.slice(20)}`,
    logonId: String(185_000 + (hashString(ep.computer) % 900_000)),
    integrity: 'Medium',
    elevation: 'TokenElevationTypeLimited',
    session: '1',
  };
}

/** The image file's columns: hashes (of its path: stable per image), name, size, version information. */
function imageCells(proc: Proc): string[] {
  const info = proc.program?.info;
  const path = proc.image.toLowerCase();
  return [
    hexOf(`sha1:${path}`, 40),
    '',
    hexOf(`md5:${path}`, 32),
    fileName(proc.image),
    info === undefined ? '' : String(info.size),
    info?.company ?? '',
    info?.product ?? '',
    info?.version ?? '',
    info?.original ?? '',
    info?.original ?? '',
    info?.description ?? '',
  ];
}

/** Each device numbers its events (ReportId). */
class Reports {
  private readonly next = new Map<string, number>();
  constructor(private readonly rng: Random) {}
  id(ep: Endpoint): string {
    const n = (this.next.get(ep.computer) ?? 1_000 + this.rng.int(30_000)) + 1 + this.rng.int(40);
    this.next.set(ep.computer, n);
    return String(n);
  }
}

const deviceId = (ep: Endpoint): string => hexOf(`device:${ep.computer}`, 40);

/** The day's connections of the Defender hosts as a `DeviceNetworkEvents` export (header first). */
export function* networkEventLines(events: readonly EndpointEvent[], seed: number, day: number): Iterable<string> {
  const rng = new Random(mix(seed, 0xde1, day));
  const reports = new Reports(rng);
  yield row(NETWORK_COLUMNS);
  for (const ev of events) {
    if (ev.kind !== 'connection') continue;
    const { ep, proc, entry } = ev;
    const acct = account(ep, proc);
    const image = imageCells(proc);
    // The image columns come in the order SHA1, SHA256, MD5, file name, size, then the version information.
    yield row([
      stamp(ev.time, rng.int(10_000)),
      deviceId(ep),
      ep.computer.toLowerCase(),
      'ConnectionSuccess',
      ev.remote,
      String(entry.port ?? 443),
      ev.remoteUrl,
      ep.host.ip,
      String(entry.sourcePort),
      'Tcp',
      'Private',
      'Public',
      ...image.slice(0, 3),
      image[3],
      image[4],
      image[5],
      image[6],
      image[7],
      image[8],
      image[9],
      image[10],
      String(proc.pid),
      proc.commandLine,
      started(proc),
      proc.image.toLowerCase(),
      proc.parent === null ? proc.parentName : fileName(proc.parent.image),
      proc.parent === null ? '' : String(proc.parent.pid),
      proc.parent === null ? '' : started(proc.parent),
      acct.domain,
      acct.name,
      acct.sid,
      acct.upn,
      acct.objectId,
      acct.integrity,
      acct.elevation,
      reports.id(ep),
      '',
      '',
      acct.session,
      'false',
      '',
      '',
    ]);
  }
}

/** The day's process starts of the Defender hosts as a `DeviceProcessEvents` export (header first). */
export function* processEventLines(events: readonly EndpointEvent[], seed: number, day: number): Iterable<string> {
  const rng = new Random(mix(seed, 0xde2, day));
  const reports = new Reports(rng);
  yield row(PROCESS_COLUMNS);
  for (const ev of events) {
    if (ev.kind !== 'start') continue;
    const { ep, proc } = ev;
    const parent = proc.parent;
    const acct = account(ep, proc);
    const image = imageCells(proc);
    const parentAcct = parent === null ? acct : account(ep, parent);
    const parentImage = parent === null ? ['', '', '', '', '', '', '', '', '', '', ''] : imageCells(parent);
    yield row([
      stamp(ev.time, rng.int(10_000)),
      deviceId(ep),
      ep.computer.toLowerCase(),
      'ProcessCreated',
      image[3],
      proc.image,
      image[0],
      image[1],
      image[2],
      image[4],
      ...image.slice(5),
      String(proc.pid),
      proc.commandLine,
      acct.integrity,
      acct.elevation,
      started(proc),
      acct.domain,
      acct.name,
      acct.sid,
      acct.upn,
      acct.objectId,
      acct.logonId,
      parentAcct.domain,
      parentAcct.name,
      parentAcct.sid,
      parentAcct.upn,
      parentAcct.objectId,
      parentAcct.logonId,
      parentAcct.integrity,
      parentAcct.elevation,
      ...parentImage,
      parent === null ? '' : String(parent.pid),
      parent?.commandLine ?? '',
      parent === null ? '' : started(parent),
      parent?.image.toLowerCase() ?? '',
      parent?.parent ? String(parent.parent.pid) : '',
      parent === null ? '' : parent.parent === null ? parent.parentName : fileName(parent.parent.image),
      parent?.parent ? started(parent.parent) : '',
      parent === null ? '' : parent.image.startsWith('C:\\Windows\\') ? 'OsVendor' : 'ThirdParty',
      parent === null ? '' : 'Valid',
      reports.id(ep),
      '',
      '',
    ]);
  }
}
