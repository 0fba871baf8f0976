// What a GeneralPurposeAllocator knows about its live allocations: reading them out of the core,
// the JavaScript stacks recorded with `stackTraces: true`, and the leak report.

import type { View, ElementKind, ViewOf } from "./kinds";
import type { AllocOptions } from "./api";
import { CoreAllocator } from "./core-allocator";
import { OutOfMemoryError } from "./errors";

/** One live allocation of a GeneralPurposeAllocator, as deinit(), detectLeaks() and leaks() report it. */
export interface LeakReport {
  /** Byte offset of the allocation. */
  ptr: number;
  /**
   * Its length in bytes. With `safety: false` small allocations are not recorded one by one, so
   * this is the length of the slot that holds it (its size class).
   */
  len: number;
  /** Its alignment; with `safety: false`, for small allocations, the alignment of its slot. */
  align: number;
  /**
   * The JavaScript stack of the call that allocated it, with `stackTraces: true`. Memory that an
   * allocator stacked on the GPA (an arena) took for itself inside WebAssembly has none.
   */
  stack?: string;
}

/** u32s per allocation in what the core's gpaLeaks writes: ptr, len, align. */
const LEAK_WORDS = 3;

/** The live allocations of the GPA `gpa`, by address, with their stacks where recorded. */
export function readLeaks(gpa: CoreAllocator, stacks: ReadonlyMap<number, string> | undefined): LeakReport[] {
  const handle = gpa.liveHandle();
  const { core } = gpa;
  const count = core.gpaLiveCount(handle) >>> 0;
  if (count === 0) return [];
  const scratch = gpa.heap.pageAllocator;
  const bytes = count * LEAK_WORDS * 4;
  const out = scratch.rawAlloc(bytes, 4);
  if (out === 0) throw new OutOfMemoryError(bytes, " listing the GeneralPurposeAllocator's live allocations");
  try {
    core.gpaLeaks(handle, out, count);
    const words = new Uint32Array(gpa.linear.buffer, out, count * LEAK_WORDS);
    const leaks: LeakReport[] = [];
    for (let i = 0; i < words.length; i += LEAK_WORDS) {
      const leak: LeakReport = { ptr: words[i], len: words[i + 1], align: words[i + 2] };
      const stack = stacks?.get(leak.ptr);
      if (stack !== undefined) leak.stack = stack;
      leaks.push(leak);
    }
    return leaks.sort((a, b) => a.ptr - b.ptr);
  } finally {
    scratch.rawFree(out, bytes, 4);
  }
}

/** The line console.error prints for a leak, followed by its stack if recorded. */
export function formatLeak(leak: LeakReport): string {
  const line = `GeneralPurposeAllocator: leaked ${leak.len} bytes at byte offset ${leak.ptr} (align ${leak.align})`;
  return leak.stack === undefined ? line : `${line}\n${leak.stack}`;
}

/** A public method of the allocator, as a function value. */
type Api = (...args: never[]) => unknown;

/** The stack of the caller of `api` (frames inside the library left out), without the "Error" line. */
function callerStack(api: Api): string {
  const holder: { stack?: string } = {};
  if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(holder, api);
  else holder.stack = new Error().stack;
  const stack = holder.stack ?? "";
  return stack.slice(stack.indexOf("\n") + 1);
}

/**
 * The GPA's allocator with `stackTraces: true`: the same core calls, plus the stack of each live
 * allocation kept in `stacks` by byte offset. Only this mode pays for it; without stack traces
 * the GPA hands out a plain CoreAllocator.
 */
export class TracingAllocator extends CoreAllocator {
  /** The public method the user called, when it allocates through another one (dupe, create). */
  private entry: Api | undefined = undefined;

  constructor(plain: CoreAllocator, owner: string, readonly stacks: Map<number, string>) {
    super(plain.heap, plain.core, plain.linear, plain.liveHandle(), owner);
    this.backing = plain.backing;
  }

  override alloc<K extends ElementKind>(kind: K, n: number, options?: AllocOptions): ViewOf<K> {
    const view = super.alloc(kind, n, options);
    if (view.byteLength !== 0) this.stacks.set(view.byteOffset, callerStack(this.entry ?? TracingAllocator.prototype.alloc));
    return view;
  }

  override dupe<K extends ElementKind>(kind: K, source: ArrayLike<number | bigint>): ViewOf<K> {
    return this.entered(TracingAllocator.prototype.dupe, () => super.dupe(kind, source));
  }

  override create<K extends ElementKind>(kind: K): ViewOf<K> {
    return this.entered(TracingAllocator.prototype.create, () => super.create(kind));
  }

  override free(view: View): void {
    super.free(view);
    if (view.byteLength !== 0) this.stacks.delete(view.byteOffset);
  }

  override resize<V extends View>(view: V, n: number): V | null {
    const resized = super.resize(view, n);
    if (resized !== null && n === 0 && view.byteLength !== 0) this.stacks.delete(view.byteOffset);
    return resized;
  }

  override realloc<V extends View>(view: V, n: number): V {
    const { byteOffset, byteLength } = view;
    const moved = super.realloc(view, n);
    this.moved(byteOffset, byteLength, moved.byteOffset, moved.byteLength, TracingAllocator.prototype.realloc);
    return moved;
  }

  override rawAlloc(len: number, align?: number): number {
    const ptr = super.rawAlloc(len, align);
    if (ptr !== 0 && len !== 0) this.stacks.set(ptr, callerStack(TracingAllocator.prototype.rawAlloc));
    return ptr;
  }

  override rawResize(ptr: number, len: number, newLen: number, align?: number): boolean {
    const resized = super.rawResize(ptr, len, newLen, align);
    if (resized && newLen === 0) this.stacks.delete(ptr);
    return resized;
  }

  override rawRemap(ptr: number, len: number, newLen: number, align?: number): number {
    const moved = super.rawRemap(ptr, len, newLen, align);
    if (moved !== 0) this.moved(ptr, len, moved, newLen, TracingAllocator.prototype.rawRemap);
    return moved;
  }

  override rawFree(ptr: number, len: number, align?: number): void {
    super.rawFree(ptr, len, align);
    if (len !== 0) this.stacks.delete(ptr);
  }

  /** Runs `body` with `api` as the call whose caller the stacks start at. */
  private entered<T>(api: Api, body: () => T): T {
    if (this.entry !== undefined) return body();
    this.entry = api;
    try {
      return body();
    } finally {
      this.entry = undefined;
    }
  }

  /** Follows an allocation that may have moved (or been freed, or made from nothing). */
  private moved(from: number, len: number, to: number, newLen: number, api: Api): void {
    if (from === to && len !== 0 && newLen !== 0) return;
    if (len !== 0) this.stacks.delete(from);
    if (newLen !== 0) this.stacks.set(to, callerStack(api));
  }
}
