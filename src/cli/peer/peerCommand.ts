import { toRecord } from '../../core/alerts/record';
import { parseArgs, UsageError } from '../args';
import { detectionFromResult } from '../engines/detectWithEngine';
import { settingsFromArgs } from '../settingsArgs';
import { alertTable } from '../summary';
import { runPeer } from './duckdbPeer';

/**
 * `offbrowse peer [--json] FILES...`: the benchmark peer (duckdbPeer.ts) as a
 * command, so `npm run bench` can time it in its own process like the others.
 */
export async function peerCommand(argv: string[]): Promise<number> {
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
