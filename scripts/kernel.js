// Builds the WebAssembly SIMD kernel (kernel/structural.ts, AssemblyScript) into
// src/core/sources/structuralWasm.js: the module's bytes as a JavaScript array,
// so one module serves the tab's parse workers, the single-file build (inlined
// with the rest of the code) and the CLI's bundle alike, with nothing to fetch.
// The output is not committed (.gitignore); it is made again whenever the
// source is newer. Run by `npm run build`, `npm install` (prepare), the Vite
// configs (so vite build, the single file and vitest) and bin/bundle.js.
//
//   node scripts/kernel.js        builds it if it is missing or older than its source
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const KERNEL_SOURCE = join(repo, 'kernel', 'structural.ts');
const KERNEL_OUTPUT = join(repo, 'src', 'core', 'sources', 'structuralWasm.js');
/** The compiler's options: 128-bit SIMD, optimised, no runtime (the kernel allocates nothing), no imports. */
const ASC_OPTIONS = ['--enable', 'simd', '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort='];

function fresh() {
  return existsSync(KERNEL_OUTPUT) && statSync(KERNEL_OUTPUT).mtimeMs >= statSync(KERNEL_SOURCE).mtimeMs;
}

/** Compiles the kernel when its output is missing or stale; returns whether it compiled. */
export async function buildKernel() {
  if (fresh()) return false;
  {
    const { default: asc } = await import('assemblyscript/asc');
    const dir = mkdtempSync(join(tmpdir(), 'offbrowse-kernel-'));
    try {
      const wasmFile = join(dir, 'structural.wasm');
      const { error, stderr } = await asc.main([KERNEL_SOURCE, ...ASC_OPTIONS, '--outFile', wasmFile]);
      if (error) throw new Error(`the kernel did not compile: ${error.message}\n${stderr.toString()}`);
      const bytes = readFileSync(wasmFile);
      const text =
        '// Written by scripts/kernel.js from kernel/structural.ts: do not edit, do not commit.\n' +
        `export const structuralWasm = new Uint8Array([${bytes.join(',')}]);\n`;
      // Written beside and renamed: a build running at the same time never reads half a file.
      const partial = `${KERNEL_OUTPUT}.${process.pid}.partial`;
      writeFileSync(partial, text);
      renameSync(partial, KERNEL_OUTPUT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return true;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildKernel();
  console.log(`kernel: ${KERNEL_OUTPUT.slice(repo.length + 1)} ${built ? 'built' : 'up to date'}`);
}
