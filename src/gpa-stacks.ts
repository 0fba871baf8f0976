// Allocation stacks for GPAs made with `stackTraces: true`. The core reports every allocation and
// free of such a GPA as it happens, wherever the request came from (an arena stacked on the GPA
// takes its chunks inside WebAssembly), and the JavaScript stack at that moment is kept by byte
// offset until the allocation is freed.

import type { CoreAllocator } from "./core-allocator";

/** Frames of the library itself, which lead from the user's call to the report: left out. */
const LIBRARY_FRAME = /^\s*at (?:new )?(?:CoreAllocator|ArenaAllocator|FixedBufferAllocator|GeneralPurposeAllocator|Heap)\.|wasm:\/\/|wasm-function|^\s*at allocationTraced /;

/** Frames captured per report: enough for the core's own frames (many in a debug build) and the caller's. */
const STACK_FRAMES = 64;

/**
 * The JavaScript stack of the allocation being reported, without the library's frames. It runs
 * inside WebAssembly, halfway through the allocation, so it must not throw: a user's
 * Error.prepareStackTrace that throws (or returns no string) gets the default format instead.
 */
function callerStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_FRAMES;
  let stack: unknown;
  try {
    stack = new Error().stack;
  } catch {
    stack = undefined;
  } finally {
    Error.stackTraceLimit = limit;
  }
  if (typeof stack !== "string") stack = defaultFormatStack();
  const lines = (stack as string).split("\n").slice(1);
  let first = 0;
  // Skip the report's own frames (up to the last WebAssembly frame), then the library's.
  for (let i = 0; i < lines.length; i++) if (/wasm:\/\/|wasm-function/.test(lines[i])) first = i + 1;
  while (first < lines.length && LIBRARY_FRAME.test(lines[first])) first++;
  return lines.slice(first).join("\n");
}

/** The stack in the engine's own format, with the user's Error.prepareStackTrace set aside. */
function defaultFormatStack(): string {
  const errorClass = Error as { prepareStackTrace?: unknown };
  const prepare = errorClass.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    errorClass.prepareStackTrace = undefined;
    Error.stackTraceLimit = STACK_FRAMES;
    const stack: unknown = new Error().stack;
    return typeof stack === "string" ? stack : "";
  } catch {
    return "";
  } finally {
    errorClass.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** Starts recording the stacks of `gpa`'s allocations; the map fills as it allocates. */
export function recordStacks(gpa: CoreAllocator): Map<number, string> {
  const stacks = new Map<number, string>();
  gpa.linear.tracers.set(gpa.liveHandle(), (ptr, len) => {
    if (len === 0) stacks.delete(ptr);
    else stacks.set(ptr, callerStack());
  });
  return stacks;
}

/** Stops recording for `gpa` (at deinit: its handle may be reused). */
export function forgetStacks(gpa: CoreAllocator): void {
  gpa.linear.tracers.delete(gpa.liveHandle());
}
