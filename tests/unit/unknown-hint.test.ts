import { describe, expect, it } from 'vitest';
import { unknownHint } from '../../src/core/sources/counts';

describe('the hint for events without a User-Agent fits the source', () => {
  it('gives PAN-OS advice for firewall logs, sensor advice for Zeek and Suricata, and both for a mixed history', () => {
    const panos = unknownHint(['panos-syslog', 'panos-csv']);
    const sensors = unknownHint(['zeek-tsv', 'suricata-eve', null]);
    const mixed = unknownHint(['zeek-json', 'panos-csv']);
    expect(panos).toMatch(/HTTP header logging is on/);
    expect(panos).not.toMatch(/Zeek/);
    expect(sensors).toMatch(
      /Zeek and Suricata see the User-Agent only of HTTP they can read: unencrypted HTTP, or traffic behind a TLS-inspecting proxy/,
    );
    expect(sensors).not.toMatch(/PAN-OS/);
    expect(mixed).toMatch(/PAN-OS/);
    expect(mixed).toMatch(/Zeek and Suricata/);
  });
});
