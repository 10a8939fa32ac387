#!/usr/bin/env node
// The offbrowse command: the TypeScript of src/cli, bundled once (bin/bundle.js), so there is no build step.
import { loadCli } from './bundle.js';

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
// For `npm run bench`: the peak memory of this process, as the OS counted it.
if (process.env.OFFBROWSE_RUSAGE) process.stderr.write(`rusage: ${JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })}\n`);
