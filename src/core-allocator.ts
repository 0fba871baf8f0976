// The one implementation of the Allocator interface (heap.ts): a handle to an allocator record in
// the core. Arena, GPA, fixed-buffer and page allocators differ only in the handle; every decision
// about bytes is made in WebAssembly, one call per operation, except the bump of an allocator with
// a bump region (an arena, a fixed buffer: a RegionAllocator, below), which its rawAlloc and
// bump-fast-path.ts make in place when they can, and the views such an allocator hands out, which
// it may recycle (view-cache.ts).
// It names no Heap: `H` is whatever owns the memory, so that heap.ts can make the page allocator
// without an import circle.

import { kindInfo, makeView, viewBuffer, viewByteLength, viewByteOffset, viewKind, viewLength, type ElementKind, type KindInfo, type KindName, type View, type ViewOf } from "./kinds";
import { dupeThrough } from "./dupe";
import { byteLength, checkAlign, checkOffset, DEFAULT_RAW_ALIGN, MAX_ALLOCATION_BYTES } from "./checks";
import { AllocatorDeinitializedError, DetachedViewError, DoubleFreeError, HeapCorruptionError,
  InvalidFreeError, OutOfMemoryError, type DoubleFreeStacks } from "./errors";
import { GpaFlag, PAGE_SIZE, RECORD_SIZE, Status } from "../bindings/abi.generated";
import { linearMemoryOf, type LinearMemory } from "../bindings/linear-memory";
import { bumpClear, bumpFill, bumpFree, bumpResize, NO_REGION, regionView } from "./bump-fast-path";
import { ViewCache } from "./view-cache";
import type { CoreExports } from "../bindings/exports";

export interface AllocOptions {
  /** A power of two up to 65536; the element size is the default and the minimum. */
  align?: number;
  /** Zero the new memory (it is not zeroed otherwise, as in Zig). */
  zero?: boolean;
}

/** "As allocated": views do not remember their alignment, so free and resize do not check it. */
const ANY_ALIGN = 0;

export class CoreAllocator<H extends object = object> {
  private record: number;
  readonly core: CoreExports;
  /**
   * The first address an allocator of the heap can hand out (dispatch.ts's isBelowHeap): below it
   * the core refuses a free or resize before any region is looked at.
   */
  protected readonly heapStart: number;
  /**
   * This allocator's bump region as four words of memory (bump-fast-path.ts), which alloc, free
   * and resize bump in place; NO_REGION if it has none, has ended, or its backing allocator has.
   * Under "plain" a growth detaches it; the next bump that misses makes it again (reopenRegion).
   */
  protected region: Uint32Array = NO_REGION;
  /** The byte address of the region; 0 while `region` is NO_REGION. */
  private regionAddress = 0;
  // The allocators with a region that this one backs, while they live: when this one ends, their
  // regions are closed (the memory they bump through is no longer theirs), so that the fast path
  // needs no test of the backing allocator. Only allocators that can end keep them (not the
  // heap's page allocator). A list threaded through the dependents themselves, newest first: a
  // scope's arena joins and leaves it with a few stores, where a Set would hash every new arena.
  private firstDependent: CoreAllocator<H> | undefined = undefined;
  private nextDependent: CoreAllocator<H> | undefined = undefined;
  private previousDependent: CoreAllocator<H> | undefined = undefined;
  /**
   * The newest ArenaAllocator or FixedBufferAllocator made from this one, kept only so that its
   * hidden classes outlive it. V8's optimized code embeds the hidden classes of the objects it has
   * seen; a full collection frees a hidden class that no live object has, and deoptimizes every
   * function that embedded it. A scope that makes and ends an arena per call (withArena), or a
   * fixed buffer, leaves none alive at a collection; without this, each full collection sent the
   * library's whole fast path back to the interpreter (bench/README.md, computeResult). The cost:
   * one object per backing allocator. An ended arena holds no views and no memory; a fixed buffer,
   * which has no end, keeps its recycled views and its record (given back to the core when it is
   * collected) until a newer one replaces it here.
   */
  protected newestMade: object | undefined = undefined;
  /**
   * The stacks a DoubleFreeError about `ptr` carries, the second free's taken at the call: set by
   * a GeneralPurposeAllocator with `stackTraces: true` (gpa-stacks.ts).
   */
  doubleFreeStacks: ((ptr: number) => DoubleFreeStacks) | undefined = undefined;
  /**
   * The views this allocator handed out since its last reset, when it recycles them (an arena's
   * or a fixed buffer's, see recycleViews()) and the cache is not pausing (view-cache.ts);
   * undefined otherwise, and after retire().
   */
  private views: ViewCache | undefined = undefined;
  /** The cache of an allocator that recycles views, pausing or not; emptied by retire(). */
  protected viewCache: ViewCache | undefined = undefined;

  constructor(
    readonly heap: H,
    core: CoreExports,
    readonly linear: LinearMemory,
    handle: number,
    /** The owning class, for error messages. */
    private readonly owner: string,
    /**
     * The allocator this one was made from. The core calls it by handle only, so holding it here
     * is what keeps a backing whose record is given back when collected (a FixedBufferAllocator's)
     * alive for as long as anything it backs.
     */
    readonly backing?: CoreAllocator<H>,
  ) {
    this.record = handle;
    // Every allocator of a heap shares the root's core, which notes the GPAs made with safety.
    this.core = backing?.core ?? watchGpaSafety(core);
    this.heapStart = backing?.heapStart ?? core.firstPage() * PAGE_SIZE;
  }

  /** The record's address in the core, for users' own WebAssembly; throws after deinit(). */
  get handle(): number {
    return this.liveHandle();
  }

  /**
   * The record handle, for an operation: throws AllocatorDeinitializedError after retire(), or
   * once the backing allocator was retired (its memory, this allocator's chunks included, is no
   * longer this allocator's to hand out).
   */
  liveHandle(): number {
    // One test on the way in, the error built out of line (checks.ts says why).
    const record = this.record;
    if (record !== 0 && this.backing?.record !== 0) return record;
    throw this.deinitialized();
  }

  /** The record handle, for ending or inspecting this allocator: throws only after retire(). */
  ownHandle(): number {
    if (this.record === 0) throw this.ended();
    return this.record;
  }

  /** liveHandle()'s error: the backing allocator's end first, as it ends this one's use too. */
  private deinitialized(): AllocatorDeinitializedError {
    return this.backing?.record === 0 ? this.backingEnded() : this.ended();
  }

  /** The error of a call after retire(). */
  private ended(): AllocatorDeinitializedError {
    return new AllocatorDeinitializedError(this.owner);
  }

  /** The error of a call after the backing allocator's retire(), or the core's DEINITIALIZED. */
  private backingEnded(): AllocatorDeinitializedError {
    return new AllocatorDeinitializedError(`backing allocator of this ${this.owner}`);
  }

  /**
   * An allocator on the same heap for another record, such as one this allocator backs; `handle`
   * comes from the core call that made the record, which may have grown memory. `regionOffset` is
   * where the record holds a bump region (ARENA_REGION, FIXED_REGION): alloc, free and resize
   * then bump it in JavaScript when they can (bump-fast-path.ts).
   */
  child(handle: number, owner: string, regionOffset?: number): CoreAllocator<H> {
    if (this.linear.pendingGrowth) this.linear.flushGrowth();
    if (handle === 0) throw new OutOfMemoryError(RECORD_SIZE, ` for the ${owner}'s record`);
    const allocator = regionOffset === undefined
      ? new CoreAllocator(this.heap, this.core, this.linear, handle, owner, this)
      : new RegionAllocator(this.heap, this.core, this.linear, handle, owner, this);
    if (regionOffset !== undefined) {
      allocator.regionAddress = handle + regionOffset;
      allocator.openRegion();
      if (this.backing !== undefined) this.addDependent(allocator);
    }
    return allocator;
  }

  /** Keeps `made`, an allocator's object made from this one, until a newer one is (newestMade). */
  keepNewest(made: object): void {
    this.newestMade = made;
  }

  /**
   * Ends this handle: every later call throws AllocatorDeinitializedError. Drops recycled views,
   * and closes the regions of the allocators it backs.
   */
  retire(): void {
    this.record = 0;
    this.closeRegion();
    this.backing?.removeDependent(this);
    this.views = undefined;
    this.viewCache?.end();
    for (let dependent = this.firstDependent; dependent !== undefined;) {
      const next = dependent.nextDependent;
      dependent.closeRegion();
      dependent.previousDependent = dependent.nextDependent = undefined;
      dependent = next;
    }
    this.firstDependent = undefined;
  }

  private addDependent(dependent: CoreAllocator<H>): void {
    const first = this.firstDependent;
    dependent.nextDependent = first;
    if (first !== undefined) first.previousDependent = dependent;
    this.firstDependent = dependent;
  }

  /** Takes `dependent` off the list, if it is on it. */
  private removeDependent(dependent: CoreAllocator<H>): void {
    const { previousDependent: previous, nextDependent: next } = dependent;
    if (previous !== undefined) previous.nextDependent = next;
    else if (this.firstDependent === dependent) this.firstDependent = next;
    else return;
    if (next !== undefined) next.previousDependent = previous;
    dependent.previousDependent = dependent.nextDependent = undefined;
  }

  /** From now on every bump goes to the core, which settles it (or the handle's checks refuse it). */
  private closeRegion(): void {
    this.region = NO_REGION;
    this.regionAddress = 0;
  }

  /**
   * Makes a region that growth detached (under "plain") again on memory's current buffer, once a
   * growth nobody announced (a module growing the memory it imports) is noticed and announced.
   * Its reads were undefined until then, which failed the seal and sent every bump to the slow
   * path; that calls this, and so do the region's other users before they read it.
   */
  protected reopenRegion(): void {
    if (this.region.length === 0) this.openRegion();
  }

  /** Makes the region's words a view of memory's current buffer. */
  protected openRegion(): void {
    if (this.linear.buffer.byteLength === 0 && this.linear.noticeGrowth()) this.announceGrowth();
    this.region = regionView(this.linear.buffer, this.regionAddress);
  }

  /**
   * From now on, alloc() hands out the same view again for the allocation at the same position
   * since the last restartViews() when it has the same kind, length and offset (view-cache.ts).
   * Only for an allocator with a bump region, whose owner calls restartViews() on each reset:
   * its bump's misses are where the cache follows memory's buffer (RegionAllocator.bumpMissed).
   */
  recycleViews(): void {
    this.views = this.viewCache = new ViewCache(this.linear);
  }

  /** Positions of recycled views start again at 0: the owner reset the allocator. */
  restartViews(): void {
    const cache = this.viewCache;
    if (cache !== undefined) this.views = cache.restart() ? cache : undefined;
  }

  /** The position the next recycled view allocation takes; -1 when no view is recycled. */
  viewPosition(): number {
    return this.views?.position ?? -1;
  }

  /**
   * Positions of recycled views go back to `position` (from viewPosition()): the owner freed
   * everything allocated since it was taken. Nothing for -1, nor once a reset came between (the
   * owner refuses such a rewind before it gets here).
   */
  rewindViews(position: number): void {
    if (position >= 0) this.views?.rewindTo(position);
  }

  /**
   * Whether this allocator, or the allocator behind it through any chain of backing allocators,
   * is a GeneralPurposeAllocator with safety on: the library's debug mode.
   */
  underSafety(): boolean {
    for (let allocator: CoreAllocator<H> | undefined = this; allocator !== undefined; allocator = allocator.backing) {
      if (allocator.owner === GPA_OWNER && allocator.record !== 0 && safeGpaRecords.get(allocator.core)?.has(allocator.record)) return true;
    }
    return false;
  }

  /**
   * Forgets every allocation in this allocator's bump region, in JavaScript when it can: true if
   * done, false for an allocator without a region or one whose words cannot be read (the core's
   * own clear is then the caller's to make).
   */
  clearRegion(): boolean {
    this.reopenRegion();
    return bumpClear(this.region);
  }

  /**
   * Fills this allocator's bump region with `byte`: the bytes handed out since it was opened, or
   * (`wholeCapacity`) all of it. Nothing for an allocator without a region or with a damaged one.
   */
  fillRegion(byte: number, wholeCapacity: boolean): void {
    this.reopenRegion();
    bumpFill(this.region, this.linear.buffer, this.heapStart, byte, wholeCapacity);
  }

  // Every method below whose core call may grow memory runs the growth listeners right after the
  // call (`if (this.linear.pendingGrowth) this.announceGrowth()`, or settled() on a failure, whose
  // error is built first) and only then makes the view it returns: a listener may allocate and, under "plain", grow memory again. free and rawFree
  // skip the check: the core only gives memory back there, it never grows it. What it needs of a
  // view it was given (kind, offset, length, buffer) it reads before the call, since a growth
  // detaches that view under "plain".

  alloc<K extends ElementKind>(kind: K, n: number, options?: AllocOptions): ViewOf<K> {
    // A scope that repeats replays each allocation's bump from the recycled views (view-cache.ts);
    // what it cannot replay is allocated as usual, and its bump recorded for the next scope.
    // That is all of alloc() the engine must inline into a loop for a steady scope to make no call.
    const views = this.views;
    if (views !== undefined && options === undefined) {
      const recycled = views.recycle(kind, n, this.region);
      if (recycled !== undefined) return recycled as ViewOf<K>;
    }
    return this.allocView(kind, n, options) as ViewOf<K>;
  }

  /** alloc() when no bump was replayed. */
  private allocView(kind: ElementKind, n: number, options: AllocOptions | undefined): View {
    // The common call, alloc("f64", n), stays small enough for the engine to inline; everything
    // else takes allocWith(). A plain count is rawAlloc's, whose bump makes no call into the core
    // when it fits.
    const info = kindInfo(kind);
    if (options === undefined && typeof n === "number" && n === n >>> 0 && n !== 0 && n * info.size <= MAX_ALLOCATION_BYTES) {
      const views = this.views;
      views?.beforeBump(this.region);
      const ptr = this.rawAlloc(n * info.size, info.size);
      if (ptr === 0) throw this.outOfMemory(n * info.size);
      const view = this.viewFor(info, ptr, n);
      views?.remember(kind, view);
      return view;
    }
    return this.allocWith(info, n, byteLength(n, info.size), options);
  }

  private allocWith(info: KindInfo, n: number, bytes: number, options: AllocOptions | undefined): View {
    // Each option is read once, and before the handle: a getter may deinit() this allocator. The
    // alignment is checked before the empty case: a bad argument is an error whatever the length.
    const requested = options?.align;
    const zero = options?.zero === true;
    const align = requested === undefined ? info.size : Math.max(checkAlign(requested), info.size);
    this.liveHandle();
    if (bytes === 0) return new info.ctor(0) as View;
    const ptr = this.rawAlloc(bytes, align);
    if (ptr === 0) throw this.outOfMemory(bytes);
    const view = this.viewFor(info, ptr, n);
    if (zero) view.fill(info.zero as never);
    return view;
  }

  free(view: View): void {
    const handle = this.liveHandle();
    const { ptr, len } = this.placeOf(view);
    const status = this.freeBytes(handle, ptr, len, ANY_ALIGN);
    if (status !== Status.OK) throw this.misuse(status, ptr, len);
    this.views?.rewind(view);
  }

  resize<V extends View>(view: V, n: number): V | null {
    const handle = this.liveHandle();
    const info = viewKind(view);
    const { buffer, ptr, len } = this.placeOf(view);
    const bytes = byteLength(n, info.size);
    const status = this.resizeBytes(handle, ptr, len, bytes, ANY_ALIGN);
    if (status !== Status.OK && status !== Status.OUT_OF_MEMORY) throw this.settled(this.misuse(status, ptr, len));
    if (this.linear.pendingGrowth) this.announceGrowth();
    if (status === Status.OUT_OF_MEMORY) return null;
    // The same view only if it still covers the memory: a growth may have detached it.
    if (bytes === len && buffer === this.linear.buffer) return view;
    return this.viewOf(info, ptr, n) as V;
  }

  realloc<V extends View>(view: V, n: number): V {
    const handle = this.liveHandle();
    const info = viewKind(view);
    const { ptr, len } = this.placeOf(view);
    const bytes = byteLength(n, info.size);
    // An empty view is no block, whatever its byte offset says: its realloc is an allocation.
    if (len === 0) {
      const fresh = this.rawAlloc(bytes, info.size);
      if (fresh === 0) throw this.outOfMemory(bytes);
      return this.viewOf(info, fresh, n) as V;
    }
    const moved = this.core.realloc(handle, ptr, len, bytes, info.size) >>> 0;
    if (moved === 0) throw this.settled(this.allocFailure(bytes, ptr, len));
    if (this.linear.pendingGrowth) this.announceGrowth();
    return this.viewOf(info, moved, n) as V;
  }

  dupe<K extends ElementKind>(kind: K, source: ArrayLike<number | bigint>): ViewOf<K> {
    return dupeThrough(this, kind, source, () => this.liveHandle());
  }

  create<K extends ElementKind>(kind: K): ViewOf<K> {
    return this.alloc(kind, 1);
  }

  destroy(view: View): void {
    const buffer = viewBuffer(view);
    const length = viewLength(view);
    if (length !== 1 && !this.linear.isDetached(buffer)) throw new RangeError(`destroy() takes a one-element view from create(), got ${length} elements`);
    this.free(view);
  }

  rawAlloc(len: number, align: number = DEFAULT_RAW_ALIGN): number {
    const handle = this.liveHandle();
    const ptr = this.core.alloc(handle, byteLength(len, 1), checkAlign(align)) >>> 0;
    if (ptr === 0 && this.core.lastStatus() !== Status.OK) throw this.settled(this.allocFailure(len));
    if (this.linear.pendingGrowth) this.announceGrowth();
    return ptr;
  }

  rawResize(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): boolean {
    const handle = this.liveHandle();
    const status = this.resizeBytes(handle, checkOffset(ptr), byteLength(len, 1), byteLength(newLen, 1, "newLen"), checkAlign(align));
    if (status !== Status.OK && status !== Status.OUT_OF_MEMORY) throw this.settled(this.misuse(status, ptr, len));
    if (this.linear.pendingGrowth) this.announceGrowth();
    return status === Status.OK;
  }

  rawRemap(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): number {
    const handle = this.liveHandle();
    return this.rawMoved(this.core.remap(handle, checkOffset(ptr), byteLength(len, 1), byteLength(newLen, 1, "newLen"), checkAlign(align)), ptr, len);
  }

  rawRealloc(ptr: number, len: number, newLen: number, align: number = DEFAULT_RAW_ALIGN): number {
    const handle = this.liveHandle();
    // The core checks the old allocation as allocated (its alignment is not compared with `align`).
    return this.rawMoved(this.core.realloc(handle, checkOffset(ptr), byteLength(len, 1), byteLength(newLen, 1, "newLen"), checkAlign(align)), ptr, len);
  }

  rawFree(ptr: number, len: number, align: number = DEFAULT_RAW_ALIGN): void {
    const handle = this.liveHandle();
    const status = this.freeBytes(handle, checkOffset(ptr), byteLength(len, 1), checkAlign(align));
    if (status !== Status.OK) throw this.misuse(status, ptr, len);
  }

  // The two calls besides rawAlloc the bump fast path can answer, with arguments checked: an
  // allocator with a bump region (RegionAllocator) tries it first, and anything it does not settle
  // goes to the core; every other allocator calls the core, and its callers inline no bump code.

  /** The core's free: its status. */
  protected freeBytes(handle: number, ptr: number, len: number, align: number): Status {
    return this.core.free(handle, ptr, len, align);
  }

  /** The core's resize: its status. */
  protected resizeBytes(handle: number, ptr: number, len: number, newLen: number, align: number): Status {
    return this.core.resize(handle, ptr, len, newLen, align);
  }

  /**
   * The result of a core remap or realloc of [ptr, ptr + len): the new offset, or 0 when it could
   * not (remap) or ran out of memory (realloc), the old allocation intact; a misuse the core
   * reported throws its error. The growth listeners run before it returns.
   */
  private rawMoved(result: number, ptr: number, len: number): number {
    const moved = result >>> 0;
    if (moved === 0) {
      const status = this.core.lastStatus();
      if (status !== Status.OK && status !== Status.OUT_OF_MEMORY) throw this.settled(this.misuse(status, ptr, len));
    }
    if (this.linear.pendingGrowth) this.announceGrowth();
    return moved;
  }

  /**
   * Where `view` lies, read once, before the core call that may grow memory and so detach it;
   * TypeError for anything but a typed array, and checkForeign()'s errors for one not on the
   * current buffer.
   */
  private placeOf(view: View): { buffer: ArrayBufferLike; ptr: number; len: number } {
    const buffer = viewBuffer(view);
    if (buffer !== this.linear.buffer) this.checkForeign(view, buffer);
    return { buffer, ptr: viewByteOffset(view), len: viewByteLength(view) };
  }

  /**
   * A view of kind `name` over `n` elements at `ptr`, which the core just handed out. Making it
   * fails only if memory grew without the core's knowledge (see LinearMemory.noticeGrowth): the
   * buffer is then detached ("plain") or too short ("shared"); noticed, the view is made again.
   */
  private viewAt(name: KindName, ptr: number, n: number): View {
    try {
      return makeView(name, this.linear.buffer, ptr, n);
    } catch (error) {
      if (!this.linear.noticeGrowth()) throw error;
      this.announceGrowth();
      return makeView(name, this.linear.buffer, ptr, n);
    }
  }

  /**
   * The view of the allocation of `n` (> 0) elements of `info` at `ptr` that this allocator just
   * made, memory's buffer current (the region it came from was not detached, or was made again
   * once its slow path noticed the growth): the one the allocation at the same position handed
   * out last time if it matches, else a new one, recorded for next time.
   */
  private viewFor(info: KindInfo, ptr: number, n: number): View {
    const views = this.views;
    if (views === undefined) return this.viewAt(info.name, ptr, n);
    return views.take(info, ptr, n) ?? views.keep(this.viewAt(info.name, ptr, n), info, ptr, n);
  }

  /**
   * `failure`, the error of a failed core call, once the growth listeners have run. The error is
   * built first: it reads the core's last status, which a listener's own calls would overwrite.
   */
  private settled(failure: Error): Error {
    if (this.linear.pendingGrowth) this.linear.flushGrowth();
    return failure;
  }

  /**
   * Runs the growth listeners after a core call of this allocator. A listener that deinit()ed
   * this allocator gave back what the call just handed out, so the call must not return it.
   */
  private announceGrowth(): void {
    this.linear.flushGrowth();
    if (this.record === 0) throw this.ended();
  }

  /** A view of `info`'s kind over `n` elements at `ptr` (an empty one of its own when n is 0). */
  private viewOf(info: KindInfo, ptr: number, n: number): View {
    return n === 0 ? new info.ctor(0) as View : this.viewAt(info.name, ptr, n);
  }

  /**
   * Vets a view whose buffer is not the current one: a typed array on an older buffer of this
   * heap is fine under "shared", detached under "plain"; an empty view from anywhere frees as a
   * no-op; anything else is not this heap's.
   */
  private checkForeign(view: View, buffer: ArrayBufferLike): void {
    // The view may be on memory's current buffer, after a growth the core did not announce.
    if (this.linear.noticeGrowth()) {
      this.announceGrowth();
      if (buffer === this.linear.buffer) return;
    }
    const owner = linearMemoryOf(buffer);
    if (owner === this.linear) {
      if (this.linear.isDetached(buffer)) throw new DetachedViewError();
    } else if (viewByteLength(view) !== 0) {
      throw new InvalidFreeError("the view is not from this heap's memory");
    }
  }

  private outOfMemory(bytes: number): OutOfMemoryError {
    return new OutOfMemoryError(bytes, ` in the ${this.owner}`);
  }

  /**
   * Why the core's alloc or realloc of `bytes` gave 0: out of memory (status OK or OUT_OF_MEMORY),
   * or the misuse it reported about [ptr, ptr + len), the block a realloc was given.
   */
  private allocFailure(bytes: number, ptr = 0, len = bytes): Error {
    const status = this.core.lastStatus();
    return status === Status.OK || status === Status.OUT_OF_MEMORY ? this.outOfMemory(bytes) : this.misuse(status, ptr, len);
  }

  /** The error for a status the core reported about [ptr, ptr + len). */
  private misuse(status: Status, ptr: number, len: number): Error {
    const where = `byte offset ${ptr} (${len} bytes)`;
    switch (status) {
      case Status.DOUBLE_FREE: return new DoubleFreeError(`${where} was already freed`, this.doubleFreeStacks?.(ptr));
      case Status.LENGTH_MISMATCH:
        return new InvalidFreeError(`${where}: the length differs from the allocation's`);
      case Status.ALIGN_MISMATCH:
        return new InvalidFreeError(`${where}: the alignment differs from the allocation's`);
      case Status.CORRUPTION: return new HeapCorruptionError(this.core.lastAddress() >>> 0);
      case Status.DEINITIALIZED: return this.backingEnded();
      default: return new InvalidFreeError(`${where} was not allocated by this ${this.owner}`);
    }
  }
}

/**
 * The CoreAllocator of an allocator with a bump region (an arena, a fixed buffer; see child()),
 * whose rawAlloc, and so alloc, bumps the region in place when it can.
 */
class RegionAllocator<H extends object> extends CoreAllocator<H> {
  override rawAlloc(len: number, align?: number): number {
    // The fast path: valid arguments, each told in one comparison (`x & -x` is x only for a
    // power of two, and only an integer one; masked to 17 bits, only one up to MAX_ALIGN, 65536;
    // 0 passes but aligns every address to 0, which the bump refuses), and a bump that fits the
    // region: the core's bumpAlloc (assembly/bump.ts) over its words, in its 32-bit arithmetic
    // (the address wraps, and a wrapped alignment fails), end and seal written as it writes them.
    // It is written out here, not called, with literals for the layout (start, capacity, end and
    // seal at words 0 to 3), the sealed value (SEALED, -1640531527) and the limits, and each test
    // names the argument first (`len === len >>> 0`: compared in place, not copied to a register),
    // so that all of it stays under 225 bytes of bytecode: V8 then inlines it at three call sites
    // of one loop (bench/README.md). A region that is not sealed (NO_REGION once the allocator or its backing
    // allocator ended, damaged words, a view growth detached) sends the call to bumpMissed(),
    // whose address is told as a u32 like the bump's: the two then meet as one machine word, where
    // a result of unknown type would make the engine box the bump's address on every call.
    if (align === undefined) align = 8 satisfies typeof DEFAULT_RAW_ALIGN;
    if (typeof len === "number" && typeof align === "number" && len === len >>> 0 && len !== 0
      && align === (align & -align & 0x1FFFF)) {
      const region = this.region;
      const start = region[0], capacity = region[1], end = region[2], seal = region[3];
      const addr = (start + end) >>> 0;
      const aligned = ((addr + align - 1) & -align) >>> 0;
      const newEnd = ((aligned - start) >>> 0) + len;
      if ((seal ^ start ^ capacity ^ end) === -1640531527 && newEnd <= capacity && aligned >= addr && aligned !== 0) {
        region[2] = newEnd;
        region[3] = seal ^ end ^ newEnd;
        return aligned;
      }
    }
    return this.bumpMissed(len, align) >>> 0;
  }

  // A free or resize of the last allocation, in the region; a closed region (NO_REGION) fails its
  // seal there, so the call goes to the core, which settles it.

  protected override freeBytes(handle: number, ptr: number, len: number, align: number): Status {
    return bumpFree(this.region, this.heapStart, ptr, len) ? Status.OK : super.freeBytes(handle, ptr, len, align);
  }

  protected override resizeBytes(handle: number, ptr: number, len: number, newLen: number, align: number): Status {
    return bumpResize(this.region, this.heapStart, ptr, len, newLen) ? Status.OK
      : super.resizeBytes(handle, ptr, len, newLen, align);
  }

  /**
   * rawAlloc when the bump did not fit: by the core, with its checks and errors. A region that
   * growth detached is made again first, and the bump tried on it again: growth elsewhere on the
   * heap costs the fast path no core call. Then the recycled views follow memory's buffer: under
   * "plain" every growth, this allocator's or anyone's, detaches the region's words, so the first
   * bump after it comes here before the view cache is asked for a view.
   */
  private bumpMissed(len: number, align: number): number {
    let ptr: number;
    if (this.region.length === 0) {
      this.openRegion();
      ptr = this.rawAlloc(len, align);
    } else {
      ptr = super.rawAlloc(len, align);
    }
    this.viewCache?.followBuffer();
    return ptr;
  }
}

/** The owner name a GeneralPurposeAllocator gives its CoreAllocator (gpa.ts). */
const GPA_OWNER = "GeneralPurposeAllocator";

/** By root core (watchGpaSafety()): the records of the GPAs made with safety on. */
const safeGpaRecords = new WeakMap<CoreExports, Set<number>>();

/**
 * `core`, noting the GPAs made with safety on as the core makes them. The core keeps a GPA's flags
 * in its record, where no export reads them; gpaInit is where they pass. A record given back and
 * made again is noted again, by the gpaInit that makes it. The result has `core` as prototype,
 * so every other export is `core`'s own.
 */
function watchGpaSafety(core: CoreExports): CoreExports {
  const safe = new Set<number>();
  const watched: CoreExports = Object.create(core, {
    gpaInit: {
      value: function gpaInit(backing: number, flags: number, limit: number): number {
        const handle = core.gpaInit(backing, flags, limit);
        if ((flags & GpaFlag.SAFETY) !== 0) safe.add(handle);
        else safe.delete(handle);
        return handle;
      },
    },
  });
  safeGpaRecords.set(watched, safe);
  return watched;
}

/**
 * The method by which an allocator written in TypeScript over other allocators (a
 * FailingAllocator's, a StackFallbackAllocator's) gives the core allocator that calls it, made
 * with defineAllocator(), so that it can back what the core runs (an arena, a pool, a GPA).
 */
export const toCoreAllocator: unique symbol = Symbol("wasm-arena.toCoreAllocator");

/** What answers toCoreAllocator. */
export interface CoreBacked<H extends object> {
  [toCoreAllocator](): CoreAllocator<H>;
}

/**
 * The core allocator behind `allocator`: itself, or the one an allocator written in TypeScript
 * gives (toCoreAllocator); TypeError for an Allocator from elsewhere.
 */
export function coreAllocatorOf<H extends object>(allocator: { readonly heap: H }, role: string): CoreAllocator<H> {
  if (allocator instanceof CoreAllocator) return allocator;
  const core = typeof allocator === "object" && allocator !== null && toCoreAllocator in allocator
    ? (allocator as CoreBacked<H>)[toCoreAllocator]() : undefined;
  if (!(core instanceof CoreAllocator)) {
    throw new TypeError(`${role} must be an allocator of this library (heap.pageAllocator, an arena's, a GPA's, `
      + "one from defineAllocator(), …)");
  }
  return core;
}
