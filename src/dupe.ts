// dupe(), shared by every allocator: a new view holding a copy of an array-like, made through the
// allocator's own alloc() and given back through its free() if the copy throws.

import { isTypedArray, makeView, viewBuffer, viewByteOffset, viewKind, viewLength, type ElementKind, type View,
  type ViewOf } from "./kinds";
import { DetachedViewError } from "./errors";
import { linearMemoryOf } from "../bindings/linear-memory";

interface Duping {
  alloc<K extends ElementKind>(kind: K, n: number): ViewOf<K>;
  free(view: View): void;
}

/**
 * Copies `source` into a new `kind` view from `allocator`; `assertLive` runs after the copy (an
 * array-like's getters may have ended the allocator, giving the copy's memory back with it).
 */
export function dupeThrough<K extends ElementKind>(allocator: Duping, kind: K, source: ArrayLike<number | bigint>,
  assertLive: () => void): ViewOf<K> {
  // Everything about the source is read before the allocation, which may grow memory.
  const typed = isTypedArray(source) ? source : undefined;
  const buffer = typed === undefined ? undefined : viewBuffer(typed);
  const memory = buffer === undefined ? undefined : linearMemoryOf(buffer);
  if (memory !== undefined && memory.isDetached(buffer!)) throw new DetachedViewError();
  const length = typed === undefined ? source?.length : viewLength(typed);
  if (typeof length !== "number") throw new TypeError("dupe() takes an array-like source");
  const offset = typed === undefined ? 0 : viewByteOffset(typed);
  const view = allocator.alloc(kind, length);
  // A growth under "plain" detached a source on a heap; its elements are still at its offset.
  const from = memory !== undefined && memory.isDetached(buffer!)
    ? makeView(viewKind(typed).name, memory.buffer, offset, length) : source;
  try {
    (view as unknown as { set(source: ArrayLike<number | bigint>): void }).set(from);
  } catch (error) {
    allocator.free(view);
    throw error;
  }
  assertLive();
  return view;
}
