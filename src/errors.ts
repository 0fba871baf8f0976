// The errors the library throws. Each has a stable `code` to branch on; bad arguments throw the
// platform's own TypeError and RangeError.

/** The base of every error with a `code`. */
export abstract class WasmArenaError extends Error {
  abstract readonly code: string;
  override get name(): string {
    return this.constructor.name;
  }
}

/** An allocation did not fit: the heap reached maximumBytes, or an allocator's own limit. */
export class OutOfMemoryError extends WasmArenaError {
  readonly code = "OUT_OF_MEMORY";
  constructor(readonly bytes: number, detail = "") {
    super(`out of memory allocating ${bytes} bytes${detail}`);
  }
}

/** Freed or resized memory that this allocator did not hand out, or not as it was handed out. */
export class InvalidFreeError extends WasmArenaError {
  readonly code = "INVALID_FREE";
}

/** Memory freed twice. */
export class DoubleFreeError extends WasmArenaError {
  readonly code = "DOUBLE_FREE";
}

/** A view that memory growth detached (only under the "plain" view strategy). */
export class DetachedViewError extends WasmArenaError {
  readonly code = "DETACHED_VIEW";
  constructor() {
    super("the view was detached when the heap grew (viewStrategy \"plain\"); "
      + "call heap.reserve(bytes) before taking views so that the heap does not grow under them");
  }
}

/** An allocator used after deinit(). */
export class AllocatorDeinitializedError extends WasmArenaError {
  readonly code = "ALLOCATOR_DEINITIALIZED";
  constructor(what = "allocator") {
    super(`the ${what} was used after deinit()`);
  }
}

/**
 * Allocator metadata breaks an invariant: found by heap.validate(), by an allocator's own checks,
 * or by a trap inside the core (then the `cause`). `address` is the damaged word, or the record of
 * the allocator whose call ran into it.
 */
export class HeapCorruptionError extends WasmArenaError {
  readonly code = "HEAP_CORRUPTION";
  constructor(readonly address: number, detail?: string, cause?: unknown) {
    super(`heap metadata is corrupt near byte offset ${address}${detail === undefined ? "" : `: ${detail}`}`,
      cause === undefined ? undefined : { cause });
  }
}
