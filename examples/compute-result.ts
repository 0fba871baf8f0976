// The two-allocator pattern: scratch memory from an arena that dies with the call, the result
// from the backing allocator because it outlives the call.

import { withArena, type Allocator } from "wasm-arena";

export function computeResult(backing: Allocator, input: Int32Array): Int32Array {
  return withArena(backing, (scratch) => {
    const temp = scratch.alloc("i32", input.length);
    for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
    const result = backing.alloc("i32", input.length); // outlives the arena
    result.set(temp);
    return result;
  });
}

/** The same computation with plain typed arrays, for comparison. */
export function computeResultPlain(input: Int32Array): Int32Array {
  const temp = new Int32Array(input.length);
  for (let i = 0; i < input.length; i++) temp[i] = input[i] * 2;
  const result = new Int32Array(input.length);
  result.set(temp);
  return result;
}
