import type { Allocator } from "./heap";
import { ArenaAllocator } from "./arena";

/**
 * Runs `body` with a fresh arena over `backing` and deinits the arena afterwards, also when
 * `body` throws; if `body` returns a promise, after it settles. Results that must outlive the
 * arena belong in `backing` (the two-allocator pattern).
 *
 * @example
 * const result = withArena(gpa.allocator(), (scratch) => {
 *   const temp = scratch.alloc("i32", input.length);    // freed when withArena returns
 *   const out = gpa.allocator().alloc("i32", input.length);
 *   for (let i = 0; i < input.length; i++) out[i] = (temp[i] = input[i] * 2);
 *   return out;
 * });
 */
export function withArena<T>(backing: Allocator, body: (alloc: Allocator, arena: ArenaAllocator) => T): T {
  const arena = new ArenaAllocator(backing);
  let result: T;
  try {
    result = body(arena.allocator(), arena);
  } catch (error) {
    arena.deinit();
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => { arena.deinit(); return value; },
      (error: unknown) => { arena.deinit(); throw error; },
    ) as T;
  }
  arena.deinit();
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null
    && typeof (value as PromiseLike<unknown>).then === "function";
}
