// Recycled views: an arena or a fixed buffer whose scopes repeat (a frame, a batch) hands out the
// same view objects again after reset, so that a steady loop constructs no view and makes no
// garbage. The cache holds view objects and what made them, never allocator state: the bump
// region in memory decides every offset exactly as without it, and dropping the cache at any time
// changes nothing but speed.
//
//   position   0         1         2        …   the view allocations since the last reset
//   views      Float64A  Float64A  Int32A   …   what the allocation at that position handed out
//   kinds      f64       f64       i32      …   its kind
//   places     ptr, n, recorded bump        …   its byte offset and length, and the bump that made it
//
// The allocation at position i reuses views[i] when it is the same kind, the same length and the
// same byte offset; otherwise it makes a view as usual and that view replaces entry i (the scope
// diverged there; the positions after it are compared, and replaced, one by one as the scope goes
// on). Only alloc() (and create() and dupe(), which call it) of one element or more takes a
// position: raw allocations make no view and take none, nor do resize and realloc. Freeing the view
// of the last position gives that position back (rewind()), so an allocator used as a stack, which
// frees what it just allocated and is never reset, hands out the same view again instead of
// recording a new position per allocation; so does restoring an arena's checkpoint, to the
// position it was taken at. A scope longer than MAX_RECYCLED_VIEWS allocations recycles its first
// MAX_RECYCLED_VIEWS only. A loop whose scopes do not repeat pauses recycling, so that it costs
// them next to nothing (ViewCache).
//
// Each entry keeps the offset and length it was made for, so that a lookup reads two words and
// no view getter. An entry that alloc() made without options also keeps the bump that made it
// (bump-fast-path.ts): the region's four words before it and `end` after it, with the kind as
// alloc() was given it. The bump is a function of those words, the length and the alignment, so
// when the next scope calls alloc() with the same kind and length at that position and the
// region's words are the recorded ones again, recycle() writes the recorded end and hands out the
// view: no argument check, no bump worked out and no lookup, what makes a steady scope cheap. Any
// other call, or other words, goes the usual way, and records the bump again.
//
// Under "plain" every entry is a view of the buffer memory had when it was made, and growth
// detaches them all: the cache is dropped as soon as it sees memory's buffer change (at the
// allocator's next bump, which the growth makes miss, as it makes every replay miss, or reset).
// Under "resizable" and "shared" a view made before a growth still covers its bytes (a resizable
// buffer only grows, a shared one never detaches), so the cache is kept.

import type { KindInfo, View } from "./kinds";
import type { LinearMemory } from "../bindings/linear-memory";
import { BUMP_RECORD_WORDS, copyRegion, recordBump, replayBump } from "./bump-fast-path";

/**
 * The view allocations of a scope that are recycled, from its first: 131,072, more than the
 * 110,000 temporaries of the gl-matrix example's frame. An entry costs about 160 bytes (the view
 * object, 108 bytes on V8, and its record), so a loop that repeats scopes this long keeps up to
 * 20 MiB of views between them, as code that preallocates its temporaries by hand would.
 */
export const MAX_RECYCLED_VIEWS = 1 << 17;

/** Options of the allocators that recycle views (ArenaAllocator, FixedBufferAllocator). */
export interface RecycleOptions {
  /**
   * Hand out the same view object again after reset when the allocation at the same position
   * since the reset has the same kind, length and offset as last time. Default true (for an
   * arena, false when its backing allocator is, through any chain of arenas, a
   * GeneralPurposeAllocator with safety on, so that a view held across reset stays a visible bug).
   */
  recycleViews?: boolean;
}

/** The `recycleViews` option, read once: true, false or undefined (the default); TypeError else. */
export function recycleOption(options: RecycleOptions | undefined, owner: string): boolean | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`the ${owner}'s options must be an object, got ${options === null ? "null" : typeof options}`);
  }
  const recycle: unknown = options.recycleViews;
  if (recycle !== undefined && typeof recycle !== "boolean") {
    throw new TypeError(`recycleViews must be a boolean, got ${typeof recycle}`);
  }
  return recycle;
}

/** The positions a scope records after a pause, until a scope repeats them (see ViewCache). */
export const PROBE_VIEWS = 1024;

/** The most scopes recycling pauses for while scopes do not repeat (see ViewCache). */
export const MAX_RECYCLING_PAUSE = 64;

/** The views an allocator handed out since its last reset, by position (see above). */
export class ViewCache {
  /** The position of the next view allocation: allocations since the last reset. */
  private next = 0;
  /** Entries: positions 0 to size - 1, at most MAX_RECYCLED_VIEWS. */
  private size = 0;
  /** views[i] is the view of the allocation at position i, of kind kinds[i]. */
  private readonly views: View[] = [];
  private readonly kinds: KindInfo[] = [];
  /**
   * Position i's PLACE_WORDS words from PLACE_WORDS * i: the byte offset and the length views[i]
   * was made for, then the bump that made it (recordBump()), valid while asked[i] is not NO_KIND.
   */
  private places: Uint32Array = NO_PLACES;
  /** The kind alloc() was given for views[i] when places holds its bump, NO_KIND otherwise. */
  private readonly asked: unknown[] = [];
  /** The region's words before the allocation recycle() could not replay (beforeBump()). */
  private readonly before = new Uint32Array(4);
  /** Memory's buffer when the entries were made: under "plain", another one means they are detached. */
  private buffer: ArrayBufferLike;

  // Scopes that do not repeat: comparing and recording cost such a scope about a fifth of what its
  // views cost to make, and a recorded view outlives its scope, which costs the garbage collector.
  // A scope repeats when at least half the positions that had an entry were reused. One that does
  // not has replaced the entries it missed, so the next scope is compared with it (a loop whose
  // shape changed once repeats again there). Two in a row pause recycling: the cache is dropped,
  // and for the next `pause` scopes the allocator makes views as if it did not recycle (restart()
  // says so). Then it records the first PROBE_VIEWS positions of one scope and compares the next
  // ones, recording all positions again once one repeats (a probe keeps few views alive); each
  // pause lasts twice as long as the one before, up to MAX_RECYCLING_PAUSE scopes, and a scope
  // that repeats sets it back to 1. A loop that settles into repeating scopes is recycled again
  // after at most MAX_RECYCLING_PAUSE + 1 scopes (beyond its first PROBE_VIEWS positions, one
  // scope later).

  /** Scopes left in the pause; 0 while recycling. */
  private waiting = 0;
  /** How many scopes the next pause lasts. */
  private pause = 1;
  /** Positions recorded at most: MAX_RECYCLED_VIEWS, or PROBE_VIEWS after a pause until a scope repeats. */
  private limit = MAX_RECYCLED_VIEWS;
  /** Scopes in a row that did not repeat. */
  private misses = 0;
  /** Entries when the scope began, and the positions below it that missed so far. */
  private comparable = 0;
  private missed = 0;

  constructor(private readonly linear: LinearMemory) {
    this.buffer = linear.buffer;
  }

  /**
   * Takes the next position for an allocation of `n` (> 0) elements of `info` at `ptr`: the view
   * it handed out last time if that view is this allocation's, else undefined, and the caller
   * makes one and keep()s it. The cache must have followed memory's buffer since the last growth
   * (followBuffer() or restart()): under "plain" a view of the old buffer must not be handed out.
   */
  take(info: KindInfo, ptr: number, n: number): View | undefined {
    const i = this.next++;
    // No bound test: `kinds` has exactly `size` entries, so a position past them reads undefined
    // and misses. The loads then run in a first scope too, whose every position misses, so the
    // code the engine optimizes during that scope has seen them and is not thrown away at the
    // first hit.
    const places = this.places, views = this.views;
    if (this.kinds[i] !== info) return undefined;
    return places[PLACE_WORDS * i] === ptr && places[PLACE_WORDS * i + 1] === n ? views[i] : undefined;
  }

  /**
   * alloc(kind, n) in `region`, the allocator's bump region, replayed: if the next position's
   * entry was made by alloc() with this kind and length, and the region's words are the ones its
   * bump started from, writes the bump's end into the region and returns the entry's view, taking
   * the position. Otherwise undefined, and nothing changes. `kind` and `n` need no checks: they
   * are the ones of an alloc() that succeeded. As for take(), the cache must have followed
   * memory's buffer since the last growth; a region growth detached reads undefined and misses.
   */
  recycle(kind: unknown, n: number, region: Uint32Array): View | undefined {
    const i = this.next;
    // PLACE_WORDS as a literal, as rawAlloc writes the region's layout: a loop inlines this once
    // per allocation site, under V8's inlining budget (bench/README.md).
    const places = this.places, at = 7 * i;
    // No bound test, as in take(): past the entries, `asked` reads undefined, which no kind is.
    if (this.asked[i] === kind && places[at + 1] === n && replayBump(region, places, at + 2)) {
      this.next = i + 1;
      return this.views[i];
    }
    return undefined;
  }

  /** Copies `region`'s words before an allocation recycle() did not replay, for remember(). */
  beforeBump(region: Uint32Array): void {
    copyRegion(region, this.before);
  }

  /**
   * `view` was just allocated by alloc(kind, n) from the region words beforeBump() copied: if it
   * is the entry of the position it took, records that position's bump for recycle() to replay,
   * when the bump from those words gives the view's offset (not when it took a new chunk).
   */
  remember(kind: unknown, view: View): void {
    const i = this.next - 1;
    if (i < 0 || this.views[i] !== view) return;
    const at = PLACE_WORDS * i, places = this.places, size = this.kinds[i].size;
    const recorded = recordBump(places, at + 2, this.before, places[at + 1] * size, size, places[at]);
    this.asked[i] = recorded ? kind : NO_KIND;
  }

  /**
   * Records `view`, `n` elements of kind `info` at `ptr`, as the view of the position take() just
   * took, replacing what was there; returns `view`. Only a position inside the
   * cache, or the one right after it under the bound, is kept: after a drop halfway through a
   * scope the rest of that scope is not recorded. (If making the view ran a growth listener that
   * allocated from the same allocator, the position is that of its last allocation: an entry is
   * only ever reused for the kind, offset and length it was made for, so a misplaced one costs
   * nothing but a miss.)
   */
  keep<V extends View>(view: V, info: KindInfo, ptr: number, n: number): V {
    if (this.linear.buffer !== this.buffer) this.moved();
    const i = this.next - 1;
    if (i < this.comparable) this.missed++;
    if (i > this.size || i >= this.limit) return view;
    if (i === this.size) {
      if (PLACE_WORDS * i === this.places.length) this.places = grown(this.places);
      this.views.push(view);
      this.kinds.push(info);
      this.asked.push(NO_KIND);
      this.size++;
    } else {
      this.views[i] = view;
      this.kinds[i] = info;
      this.asked[i] = NO_KIND;
    }
    this.places[PLACE_WORDS * i] = ptr;
    this.places[PLACE_WORDS * i + 1] = n;
    return view;
  }

  /**
   * `view` was freed: if it is the view of the last position taken, that position is taken again
   * by the next view allocation. The allocator freed the bytes it knew `view` by; whatever lies
   * at that position now, the entry is only ever reused for the kind, offset and length it was
   * made for, which the next allocation there has only if it takes those very bytes again.
   */
  rewind(view: View): void {
    const i = this.next - 1;
    if (i >= 0 && this.views[i] === view) this.next = i;
  }

  /** The position the next view allocation takes. */
  get position(): number {
    return this.next;
  }

  /**
   * Positions from `position` on are taken again: the allocator freed every allocation made since
   * `position` was the next one (an arena rewound to a checkpoint).
   */
  rewindTo(position: number): void {
    if (position < this.next) this.next = position;
  }

  /**
   * The allocator was reset: positions start again at 0. False while recycling pauses: the
   * allocator then makes its views without the cache (neither take() nor keep()) this scope.
   */
  restart(): boolean {
    if (this.waiting > 0) {
      if (--this.waiting > 0) return false;
      this.limit = PROBE_VIEWS;
    } else if (this.missed * 2 > Math.min(this.next, this.comparable)) {
      if (++this.misses === 2) {
        this.misses = 0;
        this.drop();
        this.waiting = this.pause;
        this.pause = Math.min(this.pause * 2, MAX_RECYCLING_PAUSE);
        this.next = 0;
        return false;
      }
    } else if (this.comparable > 0) {
      // A probe that repeated ends the pause, but only a scope that repeated beyond the probe (or
      // whole) shortens the next one: a loop whose scopes share a prefix and then diverge would
      // otherwise probe every few scopes.
      this.misses = 0;
      if (this.comparable > PROBE_VIEWS || this.next <= this.comparable) this.pause = 1;
      this.limit = MAX_RECYCLED_VIEWS;
    }
    this.next = 0;
    this.missed = 0;
    if (this.linear.buffer !== this.buffer) this.moved();
    this.comparable = this.size;
    return true;
  }

  /**
   * Drops the views if memory's buffer changed under "plain". The allocator calls it whenever its
   * bump misses (bumpMissed()): under "plain" every growth detaches the region's words too, so the
   * allocator's next bump misses before take() can hand out a view of the old buffer.
   */
  followBuffer(): void {
    if (this.linear.buffer !== this.buffer) this.moved();
  }

  /** Memory's buffer changed: under "plain" every view here is detached, so they all go. */
  private moved(): void {
    this.buffer = this.linear.buffer;
    if (this.linear.strategy === "plain") this.drop();
  }

  /** Forgets every view. */
  drop(): void {
    this.buffer = this.linear.buffer;
    this.size = 0;
    this.views.length = 0;
    this.kinds.length = 0;
    this.asked.length = 0;
  }

  /** Forgets every view and lets go of the positions' storage: the allocator has ended. */
  end(): void {
    this.drop();
    this.places = NO_PLACES;
  }
}

/**
 * Words of `places` per position: the view's byte offset and length, then its bump. recycle()
 * writes it as the literal 7: another record size does not compile here.
 */
const PLACE_WORDS = 2 + (BUMP_RECORD_WORDS satisfies 5);

/** The places of a cache that has recorded nothing yet: an allocator that never allocates a view pays no more. */
const NO_PLACES = new Uint32Array(0);

/** What `asked` holds for an entry whose bump is not recorded: no kind alloc() is given. */
const NO_KIND: unknown = Object.freeze({});

/** `places` with room for twice the entries (32 at first). */
function grown(places: Uint32Array): Uint32Array {
  const more = new Uint32Array(Math.max(32 * PLACE_WORDS, places.length * 2));
  more.set(places);
  return more;
}
