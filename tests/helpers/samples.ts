import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The folder of real sample logs kept outside the repository for their
 * licences (../shared/samples/<kind>/, beside the clone), for the tests that
 * read them. Missing samples fail the test that needs them, by name: such a
 * test never skips, and never passes over nothing.
 */
export function samplesFolder(kind: 'panos' | 'sensors' | 'evtx'): string {
  const dir = fileURLToPath(new URL(`../../../shared/samples/${kind}/`, import.meta.url));
  if (!existsSync(dir)) {
    throw new Error(
      `the sample logs are missing: ${dir} does not exist. These tests read real ${kind} lines from ../shared/samples beside the repository; put the shared samples folder there.`,
    );
  }
  return dir;
}
