// Loads the embedded core into a fresh linear memory, synchronously or asynchronously. Compiled
// modules are cached per build, so every heap after the first costs only an instantiation.

import { CORE_WASM, CORE_SHARED_WASM } from "./core-bytes.generated";
import { decodeBase64 } from "./base64";
import { LinearMemory, type ViewStrategy } from "./linear-memory";
import type { CoreExports } from "./exports";

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
      abort: (_message: number, _file: number, line: number, column: number) => {
        throw new Error(`wasm-arena core assertion failed at ${line}:${column}`);
      },
    },
  };
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
