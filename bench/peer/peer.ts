import { detectionFromResult } from '../../src/cli/engines/detectWithEngine';
import { parseArgs, UsageError } from '../../src/cli/args';
import { settingsFromArgs } from '../../src/cli/settingsArgs';
import { alertTable } from '../../src/cli/summary';
import { run } from '../run';
import { toRecord } from '../../src/core/alerts/record';
import { runPeer } from './duckdbPeer';

/**
 * The benchmark peer (duckdbPeer.ts) as a program of its own,
 * `peer [--json] [--settings FILE.json] FILES...`, so the benches can time it
 * in its own process like `offbrowse detect`. They run it bundled
 * (bench/peerProcess.ts), as the CLI runs, so neither pays for compiling
 * TypeScript. It prints what `offbrowse detect` prints, through the same
 * writers, so the outputs can be compared byte for byte.
 */
async function peer(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], values: ['settings'] });
  if (args.rest.length === 0) throw new UsageError('no input files');
  const settings = settingsFromArgs(args.values, null);
  const detection = detectionFromResult(await runPeer(args.rest, settings), settings);
  const text = args.flags.json
    ? detection.alerts.map((a) => JSON.stringify(toRecord(a, settings)) + '\n').join('')
    : alertTable(detection);
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
  return 0;
}

await run('peer', peer);
// For the bench: the peak memory of this process, as the OS counted it (bin/offbrowse.js reports it alike).
if (process.env.OFFBROWSE_RUSAGE) process.stderr.write(`rusage: ${JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })}\n`);
