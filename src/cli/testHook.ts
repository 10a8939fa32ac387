/**
 * A test hook, for tests/cli-kill.test.ts only: with
 * OFFBROWSE_TEST_PAUSE_AT=<stage>, the run says `offbrowse: test pause at
 * <stage>` on stderr when it reaches that stage and waits there for ever, so
 * the test can kill it at that exact point. Unset, it does nothing.
 */
export async function pauseAt(stage: string): Promise<void> {
  if (process.env.OFFBROWSE_TEST_PAUSE_AT !== stage) return;
  process.stderr.write(`offbrowse: test pause at ${stage}\n`);
  await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}
