// The two-allocator computeResult, per peer: scratch memory that dies with the call, a result that
// outlives it. Every call is followed by the caller reading the result's ends and releasing it,
// so a call's figure covers the result's whole life.

import { GeneralPurposeAllocator, type Allocator, type Heap } from "wasm-arena";
import { benchHeap } from "../../harness/strategy";
import { MemPool } from "@thi.ng/malloc";
import { computeResult, computeResultPlain } from "../../../examples/compute-result";
import type { Cell, Peer } from "../../harness/cell";
import { JsBump } from "../../peers/js-bump";
import { outOfMemory } from "../../peers/out-of-memory";
import { createTlsf } from "../../peers/tlsf";

/** The input of `n` elements every peer gets. */
export function inputOf(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i - (n >> 1));
}

/** What the caller computes from a result: its two ends. */
const consume = (result: Int32Array): number => result[0] + result[result.length - 1];

/** What every call must return for `input`. */
export const expectedChecksum = (input: Int32Array): number => 2 * input[0] + 2 * input[input.length - 1];

function cell(input: Int32Array, name: string, peer: Peer, how: string, call: () => number,
  linearBytes: () => number): Cell {
  return { id: `compute/${input.length}/${name}`, peer, how, opsPerCall: 1, call, linearBytes };
}

/** The example's plain version, for comparison. */
export function plainCompute(input: Int32Array): Cell {
  return cell(input, "plain", "plain typed arrays", "new Int32Array(n) × 2", () => consume(computeResultPlain(input)), () => 0);
}

/** The floor: scratch from one JS bump allocator, reset when the call ends; the result from another. */
export function floorCompute(input: Int32Array): Cell {
  const bytes = input.length * 4;
  const scratch = new JsBump(bytes);
  const results = new JsBump(bytes);
  const computeResult = (): Int32Array => {
    // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
    const temp = new Int32Array(scratch.buffer, scratch.alloc(bytes, 4), input.length);
    for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
    const result = new Int32Array(results.buffer, results.alloc(bytes, 4), input.length);
    result.set(temp);
    scratch.reset();
    return result;
  };
  return cell(input, "floor", "JS bump (floor)", "two bump buffers", () => {
    const checksum = consume(computeResult());
    results.reset();
    return checksum;
  }, () => 2 * bytes);
}

/** The example's computeResult (examples/compute-result.ts) over `backing`. */
function withBacking(input: Int32Array, heap: Heap, backing: Allocator, name: string, how: string): Cell {
  return cell(input, name, "wasm-arena ArenaAllocator", how, () => {
    const result = computeResult(backing, input);
    const checksum = consume(result);
    backing.free(result);
    return checksum;
  }, () => heap.memory.buffer.byteLength);
}

export function arenaOnPagesCompute(input: Int32Array): Cell {
  const heap = benchHeap();
  return withBacking(input, heap, heap.pageAllocator, "arena-pages", "over heap.pageAllocator");
}

export function arenaOnGpaCompute(input: Int32Array): Cell {
  const heap = benchHeap();
  const gpa = new GeneralPurposeAllocator({ safety: false, heap });
  return withBacking(input, heap, gpa.allocator(), "arena-gpa", "over a GPA, safety:false");
}

/** TLSF: views are taken after the allocations that may grow (and so detach) the memory. */
export function tlsfCompute(input: Int32Array): Cell {
  const tlsf = createTlsf();
  const n = input.length;
  const view = (ptr: number) => new Int32Array(tlsf.memory.buffer, ptr, n);
  const computeResult = (): number => {
    // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
    const tempPtr = tlsf.alloc(n * 4);
    const temp = view(tempPtr);
    for (let i = 0; i < n; i++) temp[i] = input[i] * 2;
    const resultPtr = tlsf.alloc(n * 4);
    view(resultPtr).set(view(tempPtr));
    tlsf.free(tempPtr);
    return resultPtr;
  };
  return cell(input, "tlsf", "AssemblyScript TLSF", "heap.alloc × 2, heap.free × 2", () => {
    const resultPtr = computeResult();
    const checksum = consume(view(resultPtr));
    tlsf.free(resultPtr);
    return checksum;
  }, () => tlsf.memory.buffer.byteLength);
}

export function thingCompute(input: Int32Array): Cell {
  const n = input.length;
  const pool = new MemPool({ size: 2 * n * 4 + 4096 });
  const computeResult = (): Int32Array => {
    // Written out for this peer and path, not shared: V8 then inlines the peer's calls into this loop.
    const temp = pool.mallocAs("i32", n) ?? outOfMemory();
    for (let i = 0; i < n; i++) temp[i] = input[i] * 2;
    const result = pool.mallocAs("i32", n) ?? outOfMemory();
    result.set(temp);
    pool.free(temp);
    return result;
  };
  return cell(input, "thing", "@thi.ng/malloc MemPool", "mallocAs × 2, free × 2", () => {
    const result = computeResult();
    const checksum = consume(result);
    pool.free(result);
    return checksum;
  }, () => pool.buf.byteLength);
}
