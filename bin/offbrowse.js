#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the repo needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// For `npm run bench`: the peak memory of this process, as the OS counted it.
if (process.env.OFFBROWSE_RUSAGE) process.stderr.write(`rusage: ${JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })}\n`);
