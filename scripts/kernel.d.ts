// Types for kernel.js, so the Vite config can build the kernel before bundling.
/** Compiles kernel/structural.ts when its output is missing or older than it; whether it compiled. */
export function buildKernel(): Promise<boolean>;
