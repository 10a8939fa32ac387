// The Svelte options Vite (vite.config.ts), svelte-check and the linters read.
// The defaults serve: Svelte 5 reads `<script lang="ts">` itself, so there is
// no preprocessor. The file is here so the tools find one config rather than
// each warning that none was found.
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {};
