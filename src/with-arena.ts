import type { Allocator } from "./heap";
import { ArenaAllocator } from "./arena";

/**
 * Runs `body` with a fresh arena over `backing` and deinits the arena afterwards, also when
 * `body` throws; if `body` returns a promise, after it settles. Results that must outlive the
 * arena belong in `backing` (the two-allocator pattern). The arena lives for one scope, so it
 * does not recycle views (a loop that resets one arena does: see ArenaAllocator).
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
  // Recording views for a next scope that never comes would cost every call.
  const arena = new ArenaAllocator(backing, { recycleViews: false });
  let result: T;
  let then: Then | undefined;
  try {
    result = body(arena.allocator(), arena);
    then = thenOf(result);
  } catch (error) {
    arena.deinit();
    throw error;
  }
  // The common case, a plain result, makes no closure: a small scope costs the arena's creation
  // and deinit(), and the chunks it used.
  if (then === undefined) {
    arena.deinit();
    return result;
  }
  // Exactly once whatever the thenable does: it may settle twice, or settle and then throw.
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    arena.deinit();
  };
  try {
    return then.call(
      result,
      (value: unknown) => { end(); return value; },
      (error: unknown) => { end(); throw error; },
    ) as T;
  } catch (error) {
    end();
    throw error;
  }
}

type Then = (onFulfilled: (value: unknown) => unknown, onRejected: (error: unknown) => never) => unknown;

/** The `then` method of a thenable `value`, read once (it may be a getter); undefined otherwise. */
function thenOf(value: unknown): Then | undefined {
  if (!((typeof value === "object" || typeof value === "function") && value !== null)) return undefined;
  const then: unknown = (value as { then?: unknown }).then;
  return typeof then === "function" ? then as Then : undefined;
}
