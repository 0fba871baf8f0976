// The ABI between the core and TypeScript has one source: the constants assembly/ exports as
// globals. bindings/abi.generated.ts is written from a build; these tests prove that what the
// embedded modules export and what TypeScript compiles against are the same numbers, both ways.

import { describe, expect, it } from "vitest";
import * as abi from "../bindings/abi.generated";
import { CORE_BUILD, CORE_WASM, CORE_SHARED_WASM } from "../bindings/core-bytes.generated";
import { decodeBase64 } from "../bindings/base64";
import { exportedConstants, renderAbi } from "../scripts/abi.mjs";
import { ArenaAllocator, FixedBufferAllocator, Heap } from "../src/index";
import { PAGE } from "./support/heaps";

/** The generated constants flattened to export names: `Status.OK`, `PAGE_SIZE`, … */
function generatedConstants(): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [name, value] of Object.entries(abi)) {
    if (typeof value === "number") flat[name] = value;
    else for (const [member, number] of Object.entries(value)) flat[`${name}.${member}`] = number;
  }
  return flat;
}

const unsigned = (constants: Record<string, number>) =>
  Object.fromEntries(Object.entries(constants).map(([name, value]) => [name, value >>> 0]));

describe.each([["plain", CORE_WASM], ["shared", CORE_SHARED_WASM]])("the %s build's exported constants", (_, bytes) => {
  const exported = unsigned(exportedConstants(decodeBase64(bytes)));

  it("are exactly the constants TypeScript compiles against, the same names and values", () => {
    expect(generatedConstants()).toEqual(exported);
  });

  it("render to the generated file as it is (it is not stale)", async () => {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(new URL("../bindings/abi.generated.ts", import.meta.url), "utf8");
    expect(text).toBe(renderAbi(exportedConstants(decodeBase64(bytes))));
  });
});

describe("the layouts the constants describe", () => {
  it("a fixed buffer's bump region, read through BUMP_* at FIXED_REGION, is the allocator's state", () => {
    const heap = Heap.create({ initialBytes: 4 * PAGE });
    const buffer = heap.pageAllocator.rawAlloc(4096);
    const fba = new FixedBufferAllocator(heap.u8.subarray(buffer, buffer + 4096));
    const a = fba.allocator();
    const ptr = a.rawAlloc(100, 16);
    const region = (a.handle + abi.FIXED_REGION) / 4;
    expect(heap.u32[region + abi.BUMP_START / 4]).toBe(buffer);
    expect(heap.u32[region + abi.BUMP_CAPACITY / 4]).toBe(4096);
    expect(heap.u32[region + abi.BUMP_END / 4]).toBe(ptr - buffer + 100);
    expect(heap.u32[region + abi.BUMP_END / 4]).toBe(fba.endIndex);
  });

  it("an arena's bump region, read through BUMP_* at ARENA_REGION, ends where the next allocation starts", () => {
    const heap = Heap.create({ initialBytes: 4 * PAGE });
    const arena = new ArenaAllocator(heap.pageAllocator);
    const a = arena.allocator();
    a.rawAlloc(24, 8);
    const region = (a.handle + abi.ARENA_REGION) / 4;
    const start = heap.u32[region + abi.BUMP_START / 4];
    const end = heap.u32[region + abi.BUMP_END / 4];
    expect(end).toBeLessThanOrEqual(heap.u32[region + abi.BUMP_CAPACITY / 4]);
    expect(a.rawAlloc(8, 8)).toBe(start + end);
    arena.deinit();
  });
});

describe("the embedded build", () => {
  it("has its assertions compiled in exactly when it is the debug build (npm run test:debug)", () => {
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(decodeBase64(CORE_WASM))).map((i) => i.name);
    expect(imports.includes("abort")).toBe(CORE_BUILD === "debug");
  });
});
