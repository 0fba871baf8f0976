// The TLSF peer: AssemblyScript's built-in memory manager, compiled from tlsf/index.ts with
// --runtime minimal into bench/.cache/ whenever the cached module is missing or older than its
// source, and instantiated fresh for every workload.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface TlsfModule {
  /** `size` bytes, 16-byte aligned. Traps when memory cannot grow. */
  alloc(size: number): number;
  free(ptr: number): void;
  /** The block's address after resizing or moving it. */
  realloc(ptr: number, size: number): number;
  readonly memory: WebAssembly.Memory;
}

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "tlsf", "index.ts");
const require = createRequire(import.meta.url);
const ascVersion: string = require("assemblyscript/package.json").version;
const wasmFile = join(here, "..", ".cache", `tlsf-asc${ascVersion}.wasm`);
export const TLSF_BUILD = `asc ${ascVersion} --runtime minimal -O3 --noAssert`;

let compiled: WebAssembly.Module | undefined;

/** Compiles the peer if its cached build is missing or stale; returns whether it compiled. */
export function buildTlsf(): boolean {
  if (existsSync(wasmFile) && statSync(wasmFile).mtimeMs >= statSync(source).mtimeMs) return false;
  mkdirSync(dirname(wasmFile), { recursive: true });
  // Run from the peer's own directory: asc would otherwise pick up the package's asconfig.json.
  execFileSync(process.execPath, [require.resolve("assemblyscript/bin/asc.js"), "index.ts",
    "--runtime", "minimal", "-O3", "--noAssert", "--outFile", wasmFile], { cwd: dirname(source), stdio: "inherit" });
  return true;
}

/** A fresh TLSF heap in its own memory. */
export function createTlsf(): TlsfModule {
  buildTlsf();
  compiled ??= new WebAssembly.Module(readFileSync(wasmFile));
  const instance = new WebAssembly.Instance(compiled, {
    env: { abort: () => { throw new Error("TLSF peer aborted (out of memory or a bad pointer)"); } },
  });
  return instance.exports as unknown as TlsfModule;
}
