import { startErrorReporter } from './errorReporter.svelte';

// Imported first by src/main.ts: modules run in the order they are imported,
// so from here on an error nobody catches, in the page's own start included,
// is shown on the page rather than lost in the console.
startErrorReporter(window);
