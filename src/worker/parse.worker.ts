import { ParseWorker, type ParseRequest } from '../core/ingest/parsePool';

/** One parse worker of the tab: parses the parts of files the ingest worker sends it (src/core/map). */
const worker = new ParseWorker();
// The worker's global scope, typed as far as it is used here.
const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ParseRequest>) => void): void;
};
scope.addEventListener('message', async (e: MessageEvent<ParseRequest>) => {
  const { reply, transfer } = await worker.answer(e.data);
  scope.postMessage(reply, transfer);
});
