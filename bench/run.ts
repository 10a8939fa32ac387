import { UsageError } from '../src/cli/args';
import { errorMessage } from '../src/core/util/errorMessage';

/** Runs a bench program's `main` on the command line's arguments: exit code 2 for a usage error, 1 for any other, with the message. */
export async function run(name: string, main: (argv: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${name}: ${errorMessage(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}
