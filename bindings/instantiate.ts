// Loads the embedded core into a fresh linear memory, synchronously or asynchronously. Compiled
// modules are cached per build, so every heap after the first costs only an instantiation.

import { CORE_WASM, CORE_SHARED_WASM } from "./core-bytes.generated";
import { decodeBase64 } from "./base64";
import { LinearMemory, type ViewStrategy } from "./linear-memory";
import type { CoreExports } from "./exports";
import { fromCallback } from "./callback-errors";

export interface CoreOptions {
  initialPages: number;
  maximumPages: number;
  strategy: ViewStrategy;
}

export interface CoreInstance {
  core: CoreExports;
  linear: LinearMemory;
}

type Build = "plain" | "shared";
const compiled = new Map<Build, WebAssembly.Module>();

const buildFor = (strategy: ViewStrategy): Build => (strategy === "shared" ? "shared" : "plain");
const bytesOf = (build: Build) => decodeBase64(build === "shared" ? CORE_SHARED_WASM : CORE_WASM);

function createMemory(options: CoreOptions): LinearMemory {
  const memory = new WebAssembly.Memory({
    initial: options.initialPages,
    maximum: options.maximumPages,
    shared: options.strategy === "shared",
  });
  return new LinearMemory(memory, options.strategy);
}

function imports(linear: LinearMemory): WebAssembly.Imports {
  return {
    env: {
      memory: linear.memory,
      memoryGrew: (oldPages: number, newPages: number) => linear.grew(oldPages, newPages),
      allocationTraced: (allocator: number, ptr: number, len: number) =>
        linear.tracers.get(allocator >>> 0)?.(ptr >>> 0, len >>> 0),
      definedAlloc: (id: number, len: number, align: number) =>
        fromCallback(() => linear.definedAllocator(id).alloc(len >>> 0, align >>> 0)),
      definedResize: (id: number, ptr: number, len: number, newLen: number, align: number) =>
        fromCallback(() => linear.definedAllocator(id).resize(ptr >>> 0, len >>> 0, newLen >>> 0, align >>> 0)),
      definedRemap: (id: number, ptr: number, len: number, newLen: number, align: number) =>
        fromCallback(() => linear.definedAllocator(id).remap(ptr >>> 0, len >>> 0, newLen >>> 0, align >>> 0)),
      definedFree: (id: number, ptr: number, len: number, align: number) =>
        fromCallback(() => linear.definedAllocator(id).free(ptr >>> 0, len >>> 0, align >>> 0)),
      abort: (message: number, file: number, line: number, column: number) => {
        const text = (at: number) => readCoreString(linear, at >>> 0);
        throw new Error(`wasm-arena core assertion failed: ${text(message)} (${text(file)}:${line}:${column})`);
      },
    },
  };
}

/**
 * An AssemblyScript string in linear memory: UTF-16 code units, preceded by their byte length in
 * the u32 below `at`. Only the debug build's assertions pass strings out.
 */
function readCoreString(linear: LinearMemory, at: number): string {
  if (at < 4) return "";
  const bytes = new Uint32Array(linear.memory.buffer, at - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(linear.memory.buffer.slice(at, at + bytes)));
}

function wrap(instance: WebAssembly.Instance, linear: LinearMemory): CoreInstance {
  return { core: instance.exports as unknown as CoreExports, linear };
}

function remember(build: Build, module: WebAssembly.Module): WebAssembly.Module {
  compiled.set(build, module);
  return module;
}

export function instantiateCoreSync(options: CoreOptions): CoreInstance {
  const build = buildFor(options.strategy);
  const module = compiled.get(build) ?? remember(build, new WebAssembly.Module(bytesOf(build)));
  const linear = createMemory(options);
  return wrap(new WebAssembly.Instance(module, imports(linear)), linear);
}

export async function instantiateCore(options: CoreOptions): Promise<CoreInstance> {
  const build = buildFor(options.strategy);
  const module = compiled.get(build) ?? remember(build, await WebAssembly.compile(bytesOf(build)));
  const linear = createMemory(options);
  return wrap(await WebAssembly.instantiate(module, imports(linear)), linear);
}
