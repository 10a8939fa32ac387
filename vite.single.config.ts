import { defineConfig, mergeConfig, type Plugin, type PluginOption, type UserConfig } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import base, { SERVICE_WORKER_PLUGIN } from './vite.config.ts';

/**
 * The http build's policy allows scripts from 'self', which is nothing from
 * file://. scripts/build-single.js writes the single file's own policy once the
 * inline script, and so its hash, is final.
 */
function dropHttpPolicy(): Plugin {
  return {
    name: 'offbrowse:drop-http-csp',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace(/\s*<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, ''),
    },
  };
}

/** Nothing registers a service worker from file://, so the single file carries no sw.js and no code that would. */
function withoutServiceWorker(config: UserConfig): UserConfig {
  const isServiceWorker = (p: PluginOption): boolean =>
    typeof p === 'object' && p !== null && 'name' in p && p.name === SERVICE_WORKER_PLUGIN;
  return { ...config, plugins: config.plugins?.filter((p) => !isServiceWorker(p)) };
}

/**
 * The air-gapped build: one HTML file that runs from file://, where the
 * multi-file build cannot (module scripts and worker URLs are refused for
 * origin `null`). Build it with `npm run build:single`, not with this config
 * alone: that script adds the Content-Security-Policy and checks the output.
 */
export default mergeConfig(
  withoutServiceWorker(base),
  defineConfig({
    plugins: [dropHttpPolicy(), viteSingleFile({ outputFileName: 'offbrowse.html' })],
    define: { __OFFBROWSE_SERVICE_WORKER__: 'false' },
    // The worker is inline in both builds (src/ui/ingestClient.ts); from file:// an
    // inline module worker does not start, a classic one does.
    worker: { format: 'iife' },
    // No modulepreload polyfill: there is nothing to preload, and its fetch() could never run under connect-src 'none'.
    build: { outDir: 'dist-single', emptyOutDir: true, modulePreload: { polyfill: false } },
    // public/ would be copied beside the file; the single file must stand alone.
    publicDir: false,
  }),
);
