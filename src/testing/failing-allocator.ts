// FailingAllocator: Zig's std.testing.FailingAllocator, an allocator that fails on purpose so that
// tests can drive code into its out-of-memory paths.

import type { Allocator, AllocOptions } from "../heap";
import { ComposedAllocator, allocRequest, assertLive, checkAllocator, checkRawResize } from "../composed-allocator";
import { viewBuffer, viewByteLength, viewKind, type ElementKind, type View, type ViewOf } from "../kinds";
import { byteLength, checkAlign, describeValue, DEFAULT_RAW_ALIGN } from "../checks";
import { OutOfMemoryError } from "../errors";

export interface FailingAllocatorConfig {
  /** How many allocations succeed; this one (0-based) and every later one fail. Default Infinity. */
  failIndex?: number;
  /** How many resizes (and remaps) succeed; this one and every later one fail. Default Infinity. */
  resizeFailIndex?: number;
}

/**
 * Wraps any allocator and fails its allocation number `failIndex` (0-based) and every one after,
 * as out of memory: alloc, dupe and create throw OutOfMemoryError, rawAlloc returns 0. Resizes
 * and remaps fail (null, false, 0) from number `resizeFailIndex` on. It counts what gets through,
 * as Zig's does: allocations and frees, and the bytes of both, a resize adding to the one or the
 * other. Lengths of 0 touch nothing and count for nothing; a resize to 0 is a free.
 *
 * It can wrap the allocator under test, or sit below it as the backing allocator of an arena, a
 * MemoryPool or a GPA (the core calls it as it calls an allocator from defineAllocator()), so that
 * their chunks and slabs fail.
 *
 * @example
 * const failing = new FailingAllocator(gpa.allocator(), { failIndex: 2 });
 * const a = failing.allocator();
 * const x = a.create("i32"), y = a.create("i32");
 * a.create("i32");                                  // throws OutOfMemoryError
 * failing.hasInducedFailure;                        // true
 */
export class FailingAllocator {
  private readonly failing: Failing;

  constructor(backing: Allocator, config: FailingAllocatorConfig = {}) {
    checkAllocator(backing, "the FailingAllocator's backing allocator");
    if (typeof config !== "object" || config === null) {
      throw new TypeError(`the FailingAllocator's config must be an object, got ${describeValue(config)}`);
    }
    const { failIndex = Infinity, resizeFailIndex = Infinity } = config;
    this.failing = new Failing(backing, checkIndex(failIndex, "failIndex"), checkIndex(resizeFailIndex, "resizeFailIndex"));
  }

  /** The Allocator interface of this FailingAllocator (the same object every time). */
  allocator(): Allocator {
    return this.failing;
  }

  /** Allocations that succeeded (Zig's alloc_index and allocations, which are always equal). */
  get allocations(): number { return this.failing.allocations; }
  /** Frees, resizes to 0 included. */
  get deallocations(): number { return this.failing.deallocations; }
  /** Bytes allocated, and grown by resizes. */
  get allocatedBytes(): number { return this.failing.allocatedBytes; }
  /** Bytes freed, and shrunk by resizes. */
  get freedBytes(): number { return this.failing.freedBytes; }
  /** Whether an allocation was made to fail. */
  get hasInducedFailure(): boolean { return this.failing.hasInducedFailure; }
  get failIndex(): number { return this.failing.failIndex; }
  get resizeFailIndex(): number { return this.failing.resizeFailIndex; }
}

function checkIndex(index: number, what: string): number {
  if (index !== Infinity && !(typeof index === "number" && Number.isInteger(index) && index >= 0)) {
    throw new RangeError(`${what} must be a whole number from 0, or Infinity, got ${describeValue(index)}`);
  }
  return index;
}

/** The Allocator a FailingAllocator hands out, and its counts. */
class Failing extends ComposedAllocator {
  allocations = 0;
  deallocations = 0;
  allocatedBytes = 0;
  freedBytes = 0;
  hasInducedFailure = false;
  /** Resizes and remaps that succeeded (Zig's resize_index). */
  private resizes = 0;

  constructor(private readonly backing: Allocator, readonly failIndex: number, readonly resizeFailIndex: number) {
    super(backing.heap, "FailingAllocator");
  }

  assertLive(): void {
    assertLive(this.backing);
  }

  alloc<K extends ElementKind>(kind: K, n: number, options?: AllocOptions): ViewOf<K> {
    const request = allocRequest(kind, n, options);
    if (request.bytes !== 0 && this.failsAllocation()) {
      throw new OutOfMemoryError(request.bytes, ` (allocation ${this.failIndex} made to fail by a FailingAllocator)`);
    }
    const view = this.backing.alloc(kind, n, request.options);
    if (request.bytes !== 0) this.allocated(request.bytes);
    return view;
  }

  free(view: View): void {
    viewBuffer(view); // TypeError for anything but a typed array, before its length is read
    const len = viewByteLength(view);
    this.backing.free(view);
    if (len !== 0) this.freed(len);
  }

  resize<V extends View>(view: V, n: number): V | null {
    const bytes = byteLength(n, viewKind(view).size);
    const len = viewByteLength(view);
    if (this.failsResize(len, bytes)) return null;
    const resized = this.backing.resize(view, n);
    if (resized !== null) this.resized(len, bytes);
    return resized;
  }

  rawAlloc(len: number, align: number = DEFAULT_RAW_ALIGN): number {
    byteLength(len, 1);
    checkAlign(align);
    if (len !== 0 && this.failsAllocation()) return 0;
    const ptr = this.backing.rawAlloc(len, align);
    if (ptr !== 0 && len !== 0) this.allocated(len);
    return ptr;
  }

  rawResize(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): boolean {
    checkRawResize(ptr, len, newLen, align);
    if (this.failsResize(len, newLen)) return false;
    const done = this.backing.rawResize(ptr, len, newLen, align);
    if (done) this.resized(len, newLen);
    return done;
  }

  rawRemap(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): number {
    checkRawResize(ptr, len, newLen, align);
    if (this.failsResize(len, newLen)) return 0;
    const moved = this.backing.rawRemap(ptr, len, newLen, align);
    if (moved !== 0) this.resized(len, newLen);
    return moved;
  }

  rawFree(ptr: number, len: number, align: number = DEFAULT_RAW_ALIGN): void {
    this.backing.rawFree(ptr, len, align);
    if (len !== 0) this.freed(len);
  }

  /** Whether this allocation must fail: Zig's alloc_index == fail_index, which then stays so. */
  private failsAllocation(): boolean {
    if (this.allocations !== this.failIndex) return false;
    assertLive(this.backing);
    this.hasInducedFailure = true;
    return true;
  }

  /** Whether a resize of `len` bytes to `newLen` must fail; to or from 0 it never does (Zig's resize). */
  private failsResize(len: number, newLen: number): boolean {
    if (len === 0 || newLen === 0 || this.resizes !== this.resizeFailIndex) return false;
    assertLive(this.backing);
    return true;
  }

  private allocated(bytes: number): void {
    this.allocations++;
    this.allocatedBytes += bytes;
  }

  private freed(bytes: number): void {
    this.deallocations++;
    this.freedBytes += bytes;
  }

  /** Counts a resize the backing made: a free when to 0, nothing from 0 (no block). */
  private resized(len: number, newLen: number): void {
    if (len === 0) return;
    if (newLen === 0) return this.freed(len);
    this.resizes++;
    if (newLen < len) this.freedBytes += len - newLen;
    else this.allocatedBytes += newLen - len;
  }
}
