/**
 * For tests/cli-state.test.ts: writes a run to the CLI's temporary store, says
 * where, and waits to be stopped (so the test can send Ctrl-C and check the
 * temporary folder is gone).
 */
import { TempRunStore } from '../../src/cli/runFiles';
import { ColumnsBuilder, sortColumns } from '../../src/core/events/columns';
import { writeEventsRun } from '../../src/core/runs/runStore';

const store = new TempRunStore();
const b = new ColumnsBuilder();
b.push(Date.UTC(2026, 0, 1), 4, null, null, 1, 'example.com/', '');
await writeEventsRun(store, sortColumns(b.build()));
process.stdout.write(`ready ${store.dir}\n`);
setInterval(() => undefined, 1000);
