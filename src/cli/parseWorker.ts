import { parentPort } from 'node:worker_threads';
import { ParseWorker, type ParseRequest } from '../core/ingest/parsePool';
import { nodeDecoder } from './decode';

/** One worker thread of `--threads N`: parses the parts of files it is sent (src/core/map). */
const worker = new ParseWorker(nodeDecoder());
const port = parentPort;
if (port === null) throw new Error('parseWorker.ts runs as a worker thread');
port.on('message', async (request: ParseRequest) => {
  const { reply, transfer } = await worker.answer(request);
  port.postMessage(reply, transfer);
});
