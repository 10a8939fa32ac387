// The kernel's bytes, in src/core/sources/structuralWasm.js, which scripts/kernel.js writes from
// kernel/structural.ts (AssemblyScript) and which is not committed: declared here so the type checks
// need no build.
export const structuralWasm: Uint8Array<ArrayBuffer>;
