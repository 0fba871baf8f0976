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

/**
 * Memory freed twice. From a GeneralPurposeAllocator with `stackTraces: true`, it carries the
 * JavaScript stacks of the allocation, the first free and the second free (the library's frames
 * left out), and its message prints them as Zig's allocator does. A stack the GPA no longer holds
 * (it keeps those of its most recent frees) is undefined; without `stackTraces`, all three are.
 */
export class DoubleFreeError extends WasmArenaError {
  readonly code = "DOUBLE_FREE";
  readonly allocationStack?: string;
  readonly firstFreeStack?: string;
  readonly secondFreeStack?: string;

  constructor(detail: string, stacks?: DoubleFreeStacks) {
    super(stacks === undefined ? detail : `${detail}. Double free detected. Allocation:\n${stackText(stacks.allocationStack)}`
      + `\nFirst free:\n${stackText(stacks.firstFreeStack)}\nSecond free:\n${stackText(stacks.secondFreeStack)}`);
    this.allocationStack = stacks?.allocationStack;
    this.firstFreeStack = stacks?.firstFreeStack;
    this.secondFreeStack = stacks?.secondFreeStack;
  }
}

/** The stacks a DoubleFreeError carries. */
export type DoubleFreeStacks = Pick<DoubleFreeError, "allocationStack" | "firstFreeStack" | "secondFreeStack">;

const stackText = (stack: string | undefined): string => stack ?? "    (not recorded)";

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
