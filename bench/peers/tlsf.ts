// The TLSF peer: AssemblyScript's built-in memory manager, compiled from tlsf/index.ts with
// --runtime minimal into bench/.cache/ whenever the cached module is missing or older than its
// source, and instantiated fresh for every workload.
//
// Its memory is shared, as a wasm-arena heap's is on this platform ("shared" view strategy), for
// the same reason: growing a shared memory never detaches a buffer. In V8, the first detached
// ArrayBuffer in a process turns off the typed-array fast path for the rest of the process, so a
// peer on a plain memory would slow every peer measured after its first growth.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
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

const FLAGS = ["--runtime", "minimal", "-O3", "--noAssert", "--sharedMemory", "--maximumMemory", "65536",
  "--enable", "threads"];
const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "tlsf", "index.ts");
const require = createRequire(import.meta.url);
const ascVersion: string = require("assemblyscript/package.json").version;
const buildKey = createHash("sha256").update(`${ascVersion} ${FLAGS.join(" ")}`).digest("hex").slice(0, 12);
const wasmFile = join(here, "..", ".cache", `tlsf-${buildKey}.wasm`);
export const TLSF_BUILD = `asc ${ascVersion} ${FLAGS.join(" ")}`;

let compiled: WebAssembly.Module | undefined;

/** Compiles the peer if its cached build is missing or stale; returns whether it compiled. */
export function buildTlsf(): boolean {
  if (existsSync(wasmFile) && statSync(wasmFile).mtimeMs >= statSync(source).mtimeMs) return false;
  mkdirSync(dirname(wasmFile), { recursive: true });
  // Run from the peer's own directory: asc would otherwise pick up the package's asconfig.json.
  execFileSync(process.execPath, [require.resolve("assemblyscript/bin/asc.js"), "index.ts", ...FLAGS,
    "--outFile", wasmFile], { cwd: dirname(source), stdio: "inherit" });
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
