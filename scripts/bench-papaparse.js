// The benchmark's floor: PapaParse's own streaming parse of a file, doing nothing with the rows.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

const file = process.argv[2];
let rows = 0;
Papa.parse(createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), {
  delimiter: ',',
  chunk(results) {
    rows += results.data.length;
  },
  complete() {
    process.stderr.write(`rows ${rows}\nrusage: ${JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })}\n`);
  },
});
