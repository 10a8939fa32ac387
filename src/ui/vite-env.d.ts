/// <reference types="vite/client" />

/** Set by the build (vite.config.ts): whether this build has a service worker to register. */
declare const __OFFBROWSE_SERVICE_WORKER__: boolean;
