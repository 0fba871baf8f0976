// The built package, imported by its name: the exports map (ESM and CommonJS), the types entry,
// and the WebAssembly module embedded in dist/ (no fetch, no loader). Needs `npm run build` first.

import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** The program each module system runs against the package: a heap, an arena batch, the errors. */
const PROGRAM = `
  const heap = pkg.Heap.create({ initialBytes: 65536, maximumBytes: 1 << 24 });
  const result = pkg.withArena(heap.pageAllocator, (scratch) => {
    const xs = scratch.dupe("f64", [1, 2, 3]);
    return xs.reduce((s, x) => s + x, 0);
  });
  let oom = "";
  try { heap.pageAllocator.alloc("u8", 1 << 25); } catch (e) { oom = e instanceof pkg.OutOfMemoryError ? e.code : String(e); }
  heap.validate();
  console.log(JSON.stringify({ result, oom, strategy: heap.viewStrategy, same: pkg.defaultHeap() === pkg.defaultHeap(),
    exports: Object.keys(pkg).sort() }));
`;

/** Every value of the public API: the allocators, the helpers, the errors. */
const API_EXPORTS = [
  "AllocatorDeinitializedError", "ArenaAllocator", "DebugAllocator", "DetachedViewError", "DoubleFreeError",
  "FixedBufferAllocator", "GeneralPurposeAllocator", "Heap", "HeapCorruptionError", "InvalidFreeError",
  "OutOfMemoryError", "defaultHeap", "withArena", "MemoryPool", "StackFallbackAllocator", "stackFallback",
  "FailingAllocator", "checkAllocationFailures", "AllocationFailureCheckError",
];

function runNode(args: string[]): { result: number; oom: string; strategy: string; same: boolean; exports: string[] } {
  // The child runs with this process's engine flags (such as --experimental-wasm-rab-integration).
  const out = execFileSync(process.execPath, [...process.execArgv.filter((arg) => arg.startsWith("--experimental-wasm")), ...args],
    { cwd: root, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

describe("the built package, imported as wasm-arena", () => {
  it("dist/ holds the ESM, CommonJS and type entries the exports map names", () => {
    const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"));
    const entry = pkg.exports["."];
    for (const file of [entry.import, entry.require, entry.types, pkg.main, pkg.module, pkg.types]) {
      expect(existsSync(resolve(root, file)), file).toBe(true);
    }
    const types = readFileSync(resolve(root, entry.types), "utf8");
    for (const name of ["Heap", "ArenaAllocator", "FixedBufferAllocator", "withArena", "Allocator"]) expect(types).toContain(name);
  });

  it("require(\"wasm-arena\") (createRequire) resolves to the CommonJS build and works synchronously", () => {
    const resolved = require.resolve("wasm-arena");
    expect(resolved).toBe(resolve(root, "dist/index.cjs"));
    const pkg = require("wasm-arena");
    const heap = pkg.Heap.create({ initialBytes: 65536, maximumBytes: 1 << 24 });
    const arena = new pkg.ArenaAllocator(heap.pageAllocator);
    const xs = arena.allocator().alloc("f64", 4);
    expect(xs).toBeInstanceOf(Float64Array);
    arena.deinit();
    expect(() => arena.queryCapacity()).toThrow(pkg.AllocatorDeinitializedError);
    heap.validate();
    expect(Object.keys(pkg)).toEqual(expect.arrayContaining(API_EXPORTS));
  });

  it("in plain Node, `import … from \"wasm-arena\"` loads the ESM build and runs an arena batch", () => {
    const out = runNode(["--input-type=module", "-e", `import * as pkg from "wasm-arena";\n${PROGRAM}`]);
    expect(out.result).toBe(6);
    expect(out.oom).toBe("OUT_OF_MEMORY");
    expect(out.same).toBe(true);
    expect(out.exports).toEqual(expect.arrayContaining(API_EXPORTS));
  });

  it("in plain Node, `require(\"wasm-arena\")` loads the CommonJS build and runs an arena batch", () => {
    const out = runNode(["--input-type=commonjs", "-e", `const pkg = require("wasm-arena");\n${PROGRAM}`]);
    expect(out.result).toBe(6);
    expect(out.oom).toBe("OUT_OF_MEMORY");
    expect(out.exports).toEqual(expect.arrayContaining(API_EXPORTS));
  });

  it("the ESM and CommonJS builds choose the same view strategy as the source", async () => {
    const { Heap } = await import("../src/index");
    const expected = Heap.create({ maximumBytes: 1 << 24 }).viewStrategy;
    expect(runNode(["--input-type=module", "-e", `import * as pkg from "wasm-arena";\n${PROGRAM}`]).strategy).toBe(expected);
    expect(runNode(["--input-type=commonjs", "-e", `const pkg = require("wasm-arena");\n${PROGRAM}`]).strategy).toBe(expected);
  });

  it("dynamic import(\"wasm-arena\") inside the test runner resolves to a working build", async () => {
    const esm = await import("wasm-arena");
    const heap = esm.Heap.create({ initialBytes: 65536, maximumBytes: 1 << 24 });
    expect(heap.pageAllocator.alloc("u8", 10).length).toBe(10);
    expect(typeof esm.FixedBufferAllocator).toBe("function");
  });
});
