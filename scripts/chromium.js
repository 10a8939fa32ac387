// Launching Debian's Chromium headless, shared by the browser tests and the
// browser benchmark (docs/architecture.md: playwright-core, never a downloaded browser).

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
