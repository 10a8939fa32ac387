import type { Host, Os } from './entries';
import { HABITS, MIN_POPULATION } from './habits';
import { mix, Random } from './random';
import { browserUserAgent } from './sites';

const FIRST = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'yasmin',
  'zoe',
  'amir',
  'bea',
  'chen',
  'dmitri',
  'elena',
  'farah',
  'gustavo',
  'hiro',
  'ines',
  'jonas',
  'kemal',
  'lena',
  'mateo',
  'noor',
  'oskar',
  'priya',
  'quentin',
  'rosa',
  'sanjay',
  'tomasz',
  'ulla',
  'vikram',
  'wen',
  'ximena',
  'yusuf',
  'zainab',
];
const LAST = 'abcdefghijklmnoprstvwz';

/** Servers and Macs are at least MIN_POPULATION each, so every habit can reach its minimum. */
function roles(count: number): { servers: number; macs: number } {
  return {
    servers: Math.max(MIN_POPULATION, Math.round(count * 0.08)),
    macs: Math.max(MIN_POPULATION, Math.round(count * 0.2)),
  };
}

const SERVER_SUBNET = 10;
const DESKTOP_SUBNET = 20;

const servers = new Map<string, boolean>();

/** Servers sit in 10.10.0.0/16 and up, desktops from 10.20.0.0/16 on. */
export function isServerAddress(ip: string): boolean {
  let server = servers.get(ip);
  if (server === undefined) {
    const second = Number(ip.split('.')[1]);
    server = ip.startsWith('10.') && second >= SERVER_SUBNET && second < DESKTOP_SUBNET;
    // Every row asks; addresses repeat (hosts, and a bounded set of outside ones).
    if (servers.size >= 10_000) servers.clear();
    servers.set(ip, server);
  }
  return server;
}

function address(subnet: number, k: number): string {
  const block = Math.floor(k / 254);
  return `10.${subnet + (block >> 8)}.${block & 255}.${(k % 254) + 1}`;
}

/** The organisation: desktops (Windows and Mac, with users and browsers) and Linux servers, from the seed. */
export function makeHosts(seed: number, count: number): Host[] {
  const rng = new Random(mix(seed, 0x4057));
  const order = rng.shuffle(Array.from({ length: count }, (_, i) => i));
  const { servers, macs } = roles(count);
  const hosts: Host[] = new Array<Host>(count);
  const taken = new Set<string>();
  let desktopNo = 0;
  let serverNo = 0;
  for (let rank = 0; rank < count; rank++) {
    const index = order[rank];
    const server = rank < servers;
    const os: Os = server ? 'linux' : rank < servers + macs ? 'mac' : 'windows';
    let user = '';
    if (!server) {
      let name = `${rng.pick(FIRST)}.${LAST[rng.int(LAST.length)]}`;
      for (let n = 2; taken.has(name); n++) name = `${name.replace(/\d+$/, '')}${n}`;
      taken.add(name);
      user = `corp\\${name}`;
    }
    hosts[index] = {
      index,
      ip: server ? address(SERVER_SUBNET, serverNo++) : address(DESKTOP_SUBNET, desktopNo++),
      user,
      os,
      server,
      browserUa: server ? '' : browserUserAgent(rng, os),
      habits: [],
    };
  }
  for (const habit of HABITS) {
    const eligible = hosts.filter((h) => habit.eligible(h.os, h.server));
    const n = Math.min(eligible.length, Math.max(MIN_POPULATION, Math.round(habit.share * eligible.length)));
    for (const h of rng.shuffle(eligible).slice(0, n)) h.habits.push({ id: habit.id, userAgent: habit.userAgent(rng, h.os) });
  }
  return hosts;
}
