// Allocation stacks for GPAs made with `stackTraces: true`. The core reports every allocation and
// free of such a GPA as it happens, wherever the request came from (an arena stacked on the GPA
// takes its chunks inside WebAssembly), and the JavaScript stack at that moment is kept by byte
// offset: an allocation's until it is freed (for the leak report), then, with safety, the
// allocation's and the free's together for a while, so that a second free can name both (Zig's
// double free report).
//
// The report arrives inside WebAssembly, halfway through the allocation, where no user code may
// run (it could throw through the core or re-enter the allocator). So the stack is only captured
// there, as an Error, whose text the engine formats lazily, calling a user's
// Error.prepareStackTrace; that happens when a leak is listed or a double free is thrown, outside
// any allocation.

import type { CoreAllocator } from "./core-allocator";
import type { DoubleFreeStacks } from "./errors";
import { QUARANTINE_SLOTS } from "../bindings/abi.generated";

/** Frames of the library itself, which lead from the user's call to the report: left out. */
const LIBRARY_FRAME = /^\s*at (?:new )?(?:CoreAllocator|RegionAllocator|ArenaAllocator|FixedBufferAllocator|GeneralPurposeAllocator|Heap)\.|wasm:\/\/|wasm-function|^\s*at (?:allocationTraced|captureStack|dupeThrough) |^\s*at (?:\S+\.)?(?:guardedCoreCall|doubleFreeStacks) /;

/** Frames captured per report: enough for the core's own frames (many in a debug build) and the caller's. */
const STACK_FRAMES = 64;

/** The Error class at load, so that a replaced global cannot run inside an allocation. */
const ErrorClass = Error;

/** The stacks of one GPA's live allocations. */
export interface AllocationStacks {
  /** The stack of the call that allocated at `ptr`, without the library's frames; undefined if none was recorded. */
  stackAt(ptr: number): string | undefined;
}

/**
 * How many freed blocks keep their stacks: those of the latest frees. A second free is told from
 * an invalid one while the block is not allocated again, which the quarantine ensures for as many.
 */
const FREED_KEPT = QUARANTINE_SLOTS;

/** The stack here, captured but not formatted: no user code runs. */
function captureStack(): Error {
  const limit = ErrorClass.stackTraceLimit;
  ErrorClass.stackTraceLimit = STACK_FRAMES;
  const captured = new ErrorClass();
  ErrorClass.stackTraceLimit = limit;
  return captured;
}

/**
 * The text of a captured stack, without the library's frames. A user's Error.prepareStackTrace
 * formats it; if that throws or gives no string, the engine's default format does.
 */
function formatStack(captured: Error): string {
  let stack: unknown;
  try {
    stack = captured.stack;
  } catch {
    stack = undefined;
  }
  if (typeof stack !== "string") stack = withDefaultFormat(() => captured.stack);
  const lines = typeof stack === "string" ? stack.split("\n").slice(1) : [];
  let first = 0;
  // Skip the report's own frames (up to the last WebAssembly frame), then the library's.
  for (let i = 0; i < lines.length; i++) if (/wasm:\/\/|wasm-function/.test(lines[i])) first = i + 1;
  while (first < lines.length && LIBRARY_FRAME.test(lines[first])) first++;
  return lines.slice(first).join("\n");
}

/** `read()` with the user's Error.prepareStackTrace set aside (V8 formats a stack on first read). */
function withDefaultFormat(read: () => unknown): unknown {
  const errorClass = ErrorClass as { prepareStackTrace?: unknown };
  const prepare = errorClass.prepareStackTrace;
  try {
    errorClass.prepareStackTrace = undefined;
    return read();
  } catch {
    return undefined;
  } finally {
    errorClass.prepareStackTrace = prepare;
  }
}

/** The stacks kept for a freed block: its allocation's (if recorded) and its free's. */
interface FreedStacks {
  allocation: Error | undefined;
  free: Error;
}

/**
 * Starts recording the stacks of `gpa`'s allocations and, if it `detectsDoubleFrees` (safety), of
 * its frees, which its DoubleFreeErrors then carry.
 */
export function recordStacks(gpa: CoreAllocator, detectsDoubleFrees: boolean): AllocationStacks {
  const live = new Map<number, Error>();
  // In the order of the frees, so that the oldest goes first once FREED_KEPT are kept.
  const freed = new Map<number, FreedStacks>();
  gpa.linear.tracers.set(gpa.liveHandle(), (ptr, len) => {
    const allocation = live.get(ptr);
    // An address allocated or freed again is no longer the block these stacks were taken for.
    live.delete(ptr);
    freed.delete(ptr);
    // Nothing may throw through the core: without a stack the allocation is still whole.
    try {
      if (len !== 0) {
        live.set(ptr, captureStack());
      } else if (detectsDoubleFrees) {
        freed.set(ptr, { allocation, free: captureStack() });
        if (freed.size > FREED_KEPT) freed.delete(freed.keys().next().value!);
      }
    } catch {
      // The entry stays deleted.
    }
  });
  if (detectsDoubleFrees) {
    gpa.doubleFreeStacks = function doubleFreeStacks(ptr: number): DoubleFreeStacks {
      const first = freed.get(ptr);
      return {
        allocationStack: first?.allocation === undefined ? undefined : formatStack(first.allocation),
        firstFreeStack: first === undefined ? undefined : formatStack(first.free),
        secondFreeStack: formatStack(captureStack()),
      };
    };
  }
  return {
    stackAt(ptr) {
      const stack = live.get(ptr);
      return stack === undefined ? undefined : formatStack(stack);
    },
  };
}

/** Stops recording for `gpa` (at deinit: its handle may be reused). */
export function forgetStacks(gpa: CoreAllocator): void {
  gpa.linear.tracers.delete(gpa.ownHandle());
  gpa.doubleFreeStacks = undefined;
}
