import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative asset paths, so dist/ works from any sub-folder of any static host.
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  // The worker is inlined into the page's chunk (src/ui/ingestClient.ts), which takes it past Vite's 500 kB warning.
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
  },
});
