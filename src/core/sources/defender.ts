/**
 * Microsoft Defender for Endpoint advanced-hunting rows, whatever they came
 * in (CSV export, JSON lines): `DeviceNetworkEvents` rows become connections,
 * `DeviceProcessEvents` rows process starts. The table is told by its
 * columns (or by a `Type` column, as Microsoft Sentinel writes it); rows of
 * other tables and actions that are not outbound connections are counted.
 */
import type { Connection, ProcessStart } from '../events/endpoint';
import type { TimeParser } from '../util/time';
import type { RowSink } from './rowSink';
import { isoMs } from './sensorTime';
import { plainAddress } from './windowsEvent';

const NETWORK = 'DeviceNetworkEvents';
const PROCESS = 'DeviceProcessEvents';

/** Where a Defender CSV export keeps its columns: lower-cased names to positions, and the table told from them. */
export interface DefenderColumns {
  /** The table the header's columns show; '' when they show none (rows may say it in a `Type` column). */
  table: string;
  names: Record<string, number>;
  /** The header row's column count: every row must have as many. */
  width: number;
}

/**
 * ActionTypes of DeviceNetworkEvents that are a connection this host opened.
 * Others (`InboundConnectionAccepted`, `ListeningConnectionCreated`,
 * `ConnectionFailed`, the `…Inspected` ones) are counted, not used: they are
 * no outbound connection that carried a request.
 */
const OUTBOUND_ACTIONS: ReadonlySet<string> = new Set([
  'connectionsuccess',
  'connectionattempt',
  'connectionrequest',
  'connectionfound',
  'connectionacknowledged',
]);
const PROCESS_CREATED = 'processcreated';
/** A name from the file is counted as a type only when plain. */
const PLAIN = /^[A-Za-z0-9_.-]{1,60}$/;

/** The table a set of column names shows (names lower case); '' when none. */
export function tellTable(has: (name: string) => boolean): string {
  const remote = has('remoteip');
  if (has('registrykey')) return remote ? 'DeviceEvents' : 'DeviceRegistryEvents';
  if (has('logontype')) return 'DeviceLogonEvents';
  if (remote && !has('processcommandline') && (has('initiatingprocessfilename') || has('initiatingprocessfolderpath')))
    return NETWORK;
  if ((has('processcommandline') || has('processid')) && (has('filename') || has('folderpath')) && !remote) return PROCESS;
  if (has('fileoriginurl') || has('previousfilename')) return 'DeviceFileEvents';
  if (has('osplatform')) return 'DeviceInfo';
  if (has('macaddress')) return 'DeviceNetworkInfo';
  return '';
}

/** Columns one of which a Defender table, or a query's projection of one, has beside its time and device. */
const DEFENDER_COLUMNS = [
  'actiontype',
  'deviceid',
  'reportid',
  'remoteip',
  'initiatingprocessfilename',
  'initiatingprocessfolderpath',
  'folderpath',
  'processcommandline',
];

/** Whether column names (lower case) are a Defender table's: a time, the device, and one of its own columns. */
export function isDefenderColumns(has: (name: string) => boolean): boolean {
  return (has('timestamp') || has('timegenerated')) && has('devicename') && DEFENDER_COLUMNS.some(has);
}

/** Defender times: ISO 8601 (`2024-01-15T10:22:33.1234567Z`), or the US form some exports write (`1/15/2024, 10:22:33.123 AM`). */
function defenderTime(text: string, parseTime: TimeParser): number {
  const t = text.trim();
  const iso = isoMs(t, parseTime);
  if (!Number.isNaN(iso)) return iso;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d\d):(\d\d)(?:\.(\d{1,7}))? ?([AP]M)$/i.exec(t);
  if (m === null) return NaN;
  let hour = Number(m[4]);
  if (hour < 1 || hour > 12) return NaN;
  if (hour === 12) hour = 0;
  if (m[8].toUpperCase() === 'PM') hour += 12;
  const pad = (s: string | number): string => String(s).padStart(2, '0');
  const frac = m[7] === undefined ? '' : `.${m[7]}`;
  return isoMs(`${m[3]}-${pad(m[1])}-${pad(m[2])}T${pad(hour)}:${m[5]}:${m[6]}${frac}`, parseTime);
}

/** The image's full path: Defender's FolderPath usually ends with the file name already, but not always. */
function imagePath(folder: string, file: string): string {
  if (folder === '') return file;
  if (file === '') return folder;
  const f = folder.toLowerCase();
  const name = file.toLowerCase();
  if (f === name || (f.endsWith(name) && /[\\/]/.test(folder[folder.length - file.length - 1]))) return folder;
  return /[\\/]$/.test(folder) ? folder + file : `${folder}\\${file}`;
}

function user(domain: string, name: string): string {
  return domain === '' ? name : `${domain}\\${name}`;
}

function num(text: string, max: number): number | null {
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t)) return null;
  const n = Number(t);
  return n <= max ? n : null;
}

/** `Tcp`, `TcpV4`, `Udp` as `tcp`, `udp`. */
function protocol(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/v[46]$/, '');
}

/**
 * One Defender row, its fields by lower-case column name through `get` ('' when
 * absent), of table `table`: its endpoint record to the sink, or a count.
 */
export function takeDefenderRow(
  get: (name: string) => string,
  table: string,
  line: number,
  example: string,
  sink: RowSink,
  parseTime: TimeParser,
): void {
  const named = get('type');
  const t = named.startsWith('Device') ? named : table;
  if (t !== NETWORK && t !== PROCESS) {
    sink.other(t !== '' && PLAIN.test(t) ? `Defender ${t}` : 'Defender (other table)');
    return;
  }
  const action = get('actiontype');
  const wanted =
    action === '' || (t === NETWORK ? OUTBOUND_ACTIONS.has(action.toLowerCase()) : action.toLowerCase() === PROCESS_CREATED);
  if (!wanted) {
    sink.other(`Defender ${t} ${PLAIN.test(action) ? action : '(other action)'}`);
    return;
  }
  const time = defenderTime(get('timestamp') || get('timegenerated'), parseTime);
  if (Number.isNaN(time)) {
    sink.skip('bad-time', line, example);
    return;
  }
  const base = { time, computer: get('devicename'), guid: '', file: '', line };
  if (t === NETWORK) {
    const rec: Connection = {
      kind: 'connection',
      ...base,
      pid: num(get('initiatingprocessid'), Number.MAX_SAFE_INTEGER),
      image: imagePath(get('initiatingprocessfolderpath'), get('initiatingprocessfilename')),
      user: user(get('initiatingprocessaccountdomain'), get('initiatingprocessaccountname')),
      protocol: protocol(get('protocol')),
      localAddress: plainAddress(get('localip')),
      localPort: num(get('localport'), 65535),
      remoteAddress: plainAddress(get('remoteip')),
      remotePort: num(get('remoteport'), 65535),
      remoteUrl: get('remoteurl').trim(),
      reverseName: '',
      commandLine: get('initiatingprocesscommandline'),
      // DeviceNetworkEvents names the parent by its file name only.
      parentImage: get('initiatingprocessparentfilename'),
    };
    sink.endpoint?.(rec);
    return;
  }
  const rec: ProcessStart = {
    kind: 'process',
    ...base,
    pid: num(get('processid'), Number.MAX_SAFE_INTEGER),
    image: imagePath(get('folderpath'), get('filename')),
    user: user(get('accountdomain'), get('accountname')),
    commandLine: get('processcommandline'),
    parentImage: imagePath(get('initiatingprocessfolderpath'), get('initiatingprocessfilename')),
  };
  sink.endpoint?.(rec);
}
