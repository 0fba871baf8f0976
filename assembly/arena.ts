// ArenaAllocator: Zig's std.heap.ArenaAllocator over any backing allocator.
//
// The arena takes chunks from its backing allocator and bumps a pointer through the newest one.
// Chunks form a list, newest first; each starts with a header:
//
//   chunk ┌──────┬─────┬───────┬──────┬──────────────────────────────────────┐
//         │ next │ len │ arena │ seal │ buffer: allocations bump upward       │
//         └──────┴─────┴───────┴──────┴──────────────────────────────────────┘
//          +0     +4    +8      +12    +16 = CHUNK_HEADER                   len
//
// `len` counts the whole chunk, header included; `arena` is the record that owns the chunk, and
// seal == chunk ^ next ^ len ^ arena ^ SEAL_KEY, so a header word damaged by a stray write is
// told from one this file wrote: reset, deinit and queryCapacity walk only sealed chunks, and
// refuse (CORRUPTION) rather than free or reuse memory by a length the arena never had. The
// record's bump region always describes the newest chunk's buffer, so the hot path never
// touches the chunk list.
//
//   record body ┌────────────────────────────────┬─────────┬───────┬────────┐
//               │ region: start, cap, end, seal  │ backing │ first │ resets │
//               └────────────────────────────────┴─────────┴───────┴────────┘
//                ARENA_REGION               BACKING   FIRST   RESETS
//
// `resets` counts arenaReset calls: a checkpoint taken before one is stale (arenaRestore).
//
// `backing` is a reference (reference.ts): once the backing allocator ends, every call that
// needs it fails with DEINITIALIZED instead of reaching whatever reuses its record.
//
// Invariant: first == 0 and the region is empty, or the region is first's buffer. openChunk,
// the slow path and arenaReset keep it together: when changing one, check the others.

import { BODY, RECORD_SIZE, newRecord, freeRecord, referenceOf } from "./records";
import { BUMP_SIZE, SEAL_KEY, bumpAlloc, bumpEnd, bumpCapacity, bumpStart, bumpFree, bumpResize,
  bumpReset, bumpGrow, bumpRewind, bumpValid, bumpIntact } from "./bump";
import { alignForward } from "./memory";
import { pageIsReference } from "./page";
import { Status, fail, clearStatus, getLastStatus } from "./status";
import { backingAlloc, backingResize, backingFree } from "./dispatch";
import { defineVTable } from "./vtable";

/** Where the bump region sits in the record (exported: JavaScript may bump it). */
export const ARENA_REGION: usize = BODY;
const BACKING: usize = ARENA_REGION + BUMP_SIZE;
const FIRST: usize = BACKING + sizeof<u32>();
const RESETS: usize = FIRST + sizeof<u32>();
const ARENA_END: usize = RESETS + sizeof<u32>();
if (ARENA_END > RECORD_SIZE) ERROR("the arena's fields overflow its record");

@unmanaged class Chunk {
  /** The next older chunk, or 0. */
  next: usize;
  /** Bytes of the whole chunk, header included. */
  len: usize;
  /** The arena that owns the chunk. */
  arena: usize;
  /** chunk ^ next ^ len ^ arena ^ SEAL_KEY. */
  seal: u32;
}
/** Bytes before a chunk's buffer (exported: tests find chunks from the region's start). */
export const CHUNK_HEADER: usize = offsetof<Chunk>();
const CHUNK_ALIGN: usize = 8;
/** Zig's slack per chunk beyond the request and the header. */
const CHUNK_SLACK: u64 = 16;
const U32_MAX: u64 = 0xFFFF_FFFF;

/** How arenaReset treats the chunks (exported: JavaScript passes it). */
export enum ResetMode { FREE_ALL = 0, RETAIN_CAPACITY = 1, RETAIN_WITH_LIMIT = 2 }

// @ts-ignore: decorator
@inline function chunkAt(chunk: usize): Chunk { return changetype<Chunk>(chunk); }
// @ts-ignore: decorator
@inline function chunkLen(chunk: usize): usize { return chunkAt(chunk).len; }
// @ts-ignore: decorator
@inline function chunkNext(chunk: usize): usize { return chunkAt(chunk).next; }
// @ts-ignore: decorator
@inline function chunkSeal(chunk: usize, next: usize, len: usize, arena: usize): u32 {
  return <u32>(chunk ^ next ^ len ^ arena) ^ SEAL_KEY;
}

/** Writes `chunk`'s header: owned by `arena`, `len` bytes long, `next` older. */
function writeChunk(chunk: usize, arena: usize, next: usize, len: usize): void {
  const header = chunkAt(chunk);
  header.next = next;
  header.len = len;
  header.arena = arena;
  header.seal = chunkSeal(chunk, next, len, arena);
}

/** Whether `chunk` is a header this file wrote for `arena`, inside memory with its whole length. */
function chunkIntact(arena: usize, chunk: usize): bool {
  const memoryEnd = <u64>memory.size() << 16;
  if ((chunk & (CHUNK_ALIGN - 1)) != 0 || <u64>chunk + <u64>CHUNK_HEADER > memoryEnd) return false;
  const header = chunkAt(chunk);
  return header.arena == arena && header.seal == chunkSeal(chunk, header.next, header.len, arena)
    && header.len >= CHUNK_HEADER && <u64>chunk + <u64>header.len <= memoryEnd;
}

/**
 * Whether the region describes the newest chunk and every chunk of the list is sealed, the list
 * ending within the number of headers memory could hold (longer is a cycle). A walk that frees
 * or measures chunks runs only after this: damaged metadata must not trap, hang, or reach the
 * backing allocator with an address or length it never handed out.
 */
function chunksIntact(arena: usize): bool {
  if (!regionDescribes(arena, firstChunk(arena))) return false;
  let budget = chunkBudget();
  for (let chunk = firstChunk(arena); chunk != 0; chunk = chunkNext(chunk)) {
    if (budget-- == 0 || !chunkIntact(arena, chunk)) return false;
  }
  return true;
}

/** More chunks than memory could hold headers for: a walk that long is a cycle. */
// @ts-ignore: decorator
@inline function chunkBudget(): u64 { return (<u64>memory.size() << 16) / <u64>CHUNK_HEADER; }
// @ts-ignore: decorator
@inline function firstChunk(arena: usize): usize { return load<u32>(arena + FIRST); }
// @ts-ignore: decorator
@inline function backingOf(arena: usize): usize { return load<u32>(arena + BACKING); }

/** A new arena over `backing`; 0 if no record could be made. */
export function arenaInit(backing: usize): usize {
  const arena = newRecord(ARENA);
  if (arena == 0) return 0;
  bumpReset(arena + ARENA_REGION, 0, 0);
  store<u32>(arena + BACKING, referenceOf(backing));
  return arena;
}

/**
 * Frees every chunk to the backing allocator and the arena's record. Damaged chunks are left
 * where they are (CORRUPTION): the record still ends.
 */
function arenaDeinit(arena: usize): void {
  clearStatus();
  if (chunksIntact(arena)) releaseChunks(arena, 0);
  else fail(Status.CORRUPTION, arena);
  freeRecord(arena);
}

/**
 * Opens a chunk for a request of `minimum` bytes after a chunk of `prevLen` buffer bytes, growing
 * geometrically as Zig does: len = big + big / 2, where big = prevLen + minimum + header + 16.
 */
function openChunk(arena: usize, prevLen: usize, minimum: u64): usize {
  const big = <u64>prevLen + minimum + <u64>CHUNK_HEADER + CHUNK_SLACK;
  const len = big + big / 2;
  if (len > U32_MAX) return 0;
  const chunk = backingAlloc(arena, backingOf(arena), <usize>len, CHUNK_ALIGN);
  if (chunk == 0) return 0;
  assert((chunk & (CHUNK_ALIGN - 1)) == 0, "a backing allocator misaligned a chunk");
  writeChunk(chunk, arena, firstChunk(arena), <usize>len);
  store<u32>(arena + FIRST, chunk);
  bumpReset(arena + ARENA_REGION, chunk + CHUNK_HEADER, <usize>len - CHUNK_HEADER);
  return chunk;
}

/**
 * `n` bytes aligned to `align`; 0 if the backing allocator is out of memory. Inlined into the
 * ABI's alloc (index.ts), so the slow path stays a call of its own.
 */
// @ts-ignore: decorator
@inline export function arenaAlloc(arena: usize, n: usize, align: usize, _caller: usize): usize {
  const fast = bumpAlloc(arena + ARENA_REGION, n, align);
  return fast != 0 ? fast : arenaAllocSlow(arena, n, align);
}

/**
 * The newest chunk is full: grow it in place if the backing allocator can (geometrically where
 * it has the room), else open another.
 */
function arenaAllocSlow(arena: usize, n: usize, align: usize): usize {
  clearStatus();
  const region = arena + ARENA_REGION;
  let chunk = firstChunk(arena);
  if (!regionDescribes(arena, chunk)) {
    fail(Status.CORRUPTION, arena);
    return 0;
  }
  if (chunk == 0 && openChunk(arena, 0, <u64>n + <u64>align) == 0) return 0;
  while (true) {
    const ptr = bumpAlloc(region, n, align);
    if (ptr != 0) return ptr;
    chunk = firstChunk(arena);
    const start = bumpStart(region);
    const needed = <u64>(alignForward(start + bumpEnd(region), align) - start) + <u64>n;
    const exactLen = <u64>CHUNK_HEADER + needed;
    // Growing in place by half the chunk at least, else opening a chunk half again as big, makes
    // a scope of many small allocations cost O(log n) backing calls, not one each, however the
    // backing allocator's free memory is cut up. Only when neither fits does the chunk grow by
    // what this allocation needs, as Zig's arena would.
    const roomyLen = max(exactLen, <u64>chunkLen(chunk) + (<u64>chunkLen(chunk) >> 1));
    if (!growChunk(arena, chunk, roomyLen) && openChunk(arena, bumpCapacity(region), <u64>n + <u64>align) == 0
      && (roomyLen == exactLen || !growChunk(arena, chunk, exactLen))) {
      return 0;
    }
  }
}

/**
 * Resizes the newest chunk, `chunk`, in place to `len` bytes if the backing allocator can. A
 * backing allocator written in TypeScript may run code that allocates from this arena while it
 * resizes (a growth listener): if that opened a newer chunk, `chunk` keeps its new length but the
 * region, the newer chunk's, is left alone.
 */
function growChunk(arena: usize, chunk: usize, len: u64): bool {
  if (len > U32_MAX
    || backingResize(arena, backingOf(arena), chunk, chunkLen(chunk), <usize>len, CHUNK_ALIGN) != Status.OK) return false;
  writeChunk(chunk, arena, chunkNext(chunk), <usize>len);
  if (firstChunk(arena) == chunk) bumpGrow(arena + ARENA_REGION, <usize>len - CHUNK_HEADER);
  return true;
}

/**
 * Whether the arena's sealed region describes `first`, a sealed chunk, as the newest (or nothing,
 * with no chunk): a damaged region, `first` or chunk must not send the slow path to the backing
 * allocator with an address or length it never handed out.
 */
function regionDescribes(arena: usize, first: usize): bool {
  const region = arena + ARENA_REGION;
  if (!bumpIntact(region)) return false;
  if (first == 0) return bumpStart(region) == 0 && bumpCapacity(region) == 0 && bumpEnd(region) == 0;
  return chunkIntact(arena, first)
    && bumpStart(region) == first + CHUNK_HEADER && bumpCapacity(region) == chunkLen(first) - CHUNK_HEADER;
}

/** Whether [ptr, ptr + len) lies in one of the arena's older chunks (not the newest, the region's). */
function ownsInOlderChunks(arena: usize, ptr: usize, len: usize): bool {
  const first = firstChunk(arena);
  if (first == 0) return false;
  let budget = chunkBudget();
  for (let chunk = chunkNext(first); chunk != 0 && budget-- != 0 && chunkIntact(arena, chunk); chunk = chunkNext(chunk)) {
    if (ptr >= chunk + CHUNK_HEADER && <u64>ptr + <u64>len <= <u64>chunk + <u64>chunkLen(chunk)) return true;
  }
  return false;
}

/**
 * Whether `ptr` is where the arena put, or would put, an item of a run of equal items `stride`
 * bytes apart at `align` (a MemoryPool's): inside one of its chunks' buffers (below the bump in
 * the newest), a whole number of strides past the chunk's first `align`ed address. False when
 * the chunks are damaged.
 */
export function arenaHoldsItem(arena: usize, ptr: usize, stride: usize, align: usize): bool {
  if (!chunksIntact(arena)) return false;
  const first = firstChunk(arena);
  const region = arena + ARENA_REGION;
  for (let chunk = first; chunk != 0; chunk = chunkNext(chunk)) {
    const start = chunk + CHUNK_HEADER;
    const end = chunk == first ? bumpStart(region) + bumpEnd(region) : chunk + chunkLen(chunk);
    if (ptr >= start && <u64>ptr + <u64>stride <= <u64>end) return (ptr - alignForward(start, align)) % stride == 0;
  }
  return false;
}

/** Rolls the bump pointer back if [ptr, ptr + len) is the last allocation; otherwise a no-op. */
function arenaFree(arena: usize, ptr: usize, len: usize, _align: usize, _caller: usize): Status {
  return bumpFree(arena, arena + ARENA_REGION, ptr, len, ownsInOlderChunks);
}

/** Shrinking always succeeds; growing only for the last allocation, within its chunk. */
function arenaResize(arena: usize, ptr: usize, len: usize, newLen: usize, _align: usize, _caller: usize): Status {
  return bumpResize(arena, arena + ARENA_REGION, ptr, len, newLen, ownsInOlderChunks);
}

/**
 * Bytes the arena can hand out without asking its backing allocator: every chunk's buffer; 0
 * with CORRUPTION when the chunks are damaged.
 */
export function arenaCapacity(arena: usize): usize {
  clearStatus();
  if (!chunksIntact(arena)) {
    fail(Status.CORRUPTION, arena);
    return 0;
  }
  let total: usize = 0;
  for (let chunk = firstChunk(arena); chunk != 0; chunk = chunkNext(chunk)) total += chunkLen(chunk) - CHUNK_HEADER;
  return total;
}

/**
 * Frees every chunk newer than `keep` (all of them when `keep` is 0) to the backing allocator,
 * newest first. The chunks must be intact (chunksIntact). Each chunk leaves the list once its free
 * has returned, the region then describing the next one, emptied: a backing allocator that throws
 * (one written in TypeScript) leaves the arena whole, holding the chunks it did not free.
 */
function releaseChunks(arena: usize, keep: usize): void {
  const backing = backingOf(arena);
  const region = arena + ARENA_REGION;
  let chunk = firstChunk(arena);
  while (chunk != keep && chunk != 0) {
    const next = chunkNext(chunk);
    backingFree(arena, backing, chunk, chunkLen(chunk), CHUNK_ALIGN);
    store<u32>(arena + FIRST, next);
    if (next == 0) bumpReset(region, 0, 0);
    else bumpReset(region, next + CHUNK_HEADER, chunkLen(next) - CHUNK_HEADER);
    chunk = next;
  }
}

/**
 * Frees all allocations. FREE_ALL gives every chunk back; RETAIN_CAPACITY keeps the capacity
 * merged into one chunk, so the next round of the same size never calls the backing allocator;
 * RETAIN_WITH_LIMIT keeps at most `limit` bytes (0 is FREE_ALL). Returns false only when the
 * backing allocator could not make the merged chunk; the arena is still usable then. Damaged
 * chunks are left untouched: false with CORRUPTION.
 */
export function arenaReset(arena: usize, mode: ResetMode, limit: usize): bool {
  const capacity = arenaCapacity(arena);
  if (getLastStatus() == Status.CORRUPTION) return false;
  store<u32>(arena + RESETS, load<u32>(arena + RESETS) + 1);
  const retained: usize = mode == ResetMode.FREE_ALL ? 0
    : mode == ResetMode.RETAIN_CAPACITY ? capacity : min(limit, capacity);
  if (retained == 0) {
    releaseChunks(arena, 0);
    return true;
  }
  // Keep only the oldest chunk, then make it exactly `retained` bytes long.
  let oldest = firstChunk(arena);
  while (chunkNext(oldest) != 0) oldest = chunkNext(oldest);
  releaseChunks(arena, oldest);
  const totalLen = retained + CHUNK_HEADER;
  const backing = backingOf(arena);
  let kept = oldest;
  if (chunkLen(oldest) != totalLen) {
    if (backingResize(arena, backing, oldest, chunkLen(oldest), totalLen, CHUNK_ALIGN) != Status.OK) {
      const merged = backingAlloc(arena, backing, totalLen, CHUNK_ALIGN);
      if (merged == 0) {
        bumpReset(arena + ARENA_REGION, oldest + CHUNK_HEADER, chunkLen(oldest) - CHUNK_HEADER);
        return false;
      }
      // The merged chunk joins the list above the oldest before the oldest is freed: a free that
      // throws leaves both chunks the arena's.
      writeChunk(merged, arena, oldest, totalLen);
      store<u32>(arena + FIRST, merged);
      bumpReset(arena + ARENA_REGION, merged + CHUNK_HEADER, totalLen - CHUNK_HEADER);
      backingFree(arena, backing, oldest, chunkLen(oldest), CHUNK_ALIGN);
      kept = merged;
    }
    writeChunk(kept, arena, 0, totalLen);
  }
  bumpReset(arena + ARENA_REGION, kept + CHUNK_HEADER, totalLen - CHUNK_HEADER);
  return true;
}

// Checkpoints (bumpalo's): where the arena stood, as the number of chunks, the bump's end in the
// newest and the resets so far. Chunks are a stack, so "the count-th chunk from the oldest" names
// one chunk for as long as it lives, whatever address a later chunk reuses.

/** The checkpoint arenaCheckpoint writes: CheckpointField words (exported: JavaScript reads them). */
export enum CheckpointField { CHUNKS, END, RESETS, COUNT }
const checkpoint: usize = memory.data(<i32>CheckpointField.COUNT << 2, 4);

/** Writes where the arena stands to the checkpoint area and returns its address; 0 with CORRUPTION for damaged chunks. */
export function arenaCheckpoint(arena: usize): usize {
  clearStatus();
  if (!chunksIntact(arena)) {
    fail(Status.CORRUPTION, arena);
    return 0;
  }
  store<u32>(checkpoint + (<usize>CheckpointField.CHUNKS << 2), chunkCount(arena));
  store<u32>(checkpoint + (<usize>CheckpointField.END << 2), bumpEnd(arena + ARENA_REGION));
  store<u32>(checkpoint + (<usize>CheckpointField.RESETS << 2), load<u32>(arena + RESETS));
  return checkpoint;
}

/** The chunks in the list, which must be intact (chunksIntact). */
function chunkCount(arena: usize): u32 {
  let count: u32 = 0;
  for (let chunk = firstChunk(arena); chunk != 0; chunk = chunkNext(chunk)) count++;
  return count;
}

/**
 * Rewinds the arena to a checkpoint: the chunks opened since go back to the backing allocator
 * and the bump returns to `end` in the chunk that was newest. INVALID_FREE, with nothing changed,
 * for a checkpoint that is stale: taken before a reset, or past the arena's present point (an
 * older checkpoint was restored since); CORRUPTION for damaged chunks.
 */
export function arenaRestore(arena: usize, chunks: u32, end: usize, resets: u32): Status {
  clearStatus();
  if (!chunksIntact(arena)) return fail(Status.CORRUPTION, arena);
  const count = chunkCount(arena);
  const region = arena + ARENA_REGION;
  if (resets != load<u32>(arena + RESETS) || chunks > count || (chunks == count && end > bumpEnd(region))) {
    return fail(Status.INVALID_FREE, arena);
  }
  let keep = firstChunk(arena);
  for (let newer = count; newer > chunks; newer--) keep = chunkNext(keep);
  if (keep != 0 && end > chunkLen(keep) - CHUNK_HEADER) return fail(Status.INVALID_FREE, arena);
  if (keep != firstChunk(arena)) {
    releaseChunks(arena, keep);
    if (keep != 0) bumpReset(region, keep + CHUNK_HEADER, chunkLen(keep) - CHUNK_HEADER);
  }
  bumpRewind(region, end);
  return Status.OK;
}

/** Checks the chunk list and that the bump region describes the newest chunk. */
function arenaValidate(arena: usize): Status {
  if (!pageIsReference(backingOf(arena))) return fail(Status.CORRUPTION, arena);
  if (!bumpValid(arena + ARENA_REGION) || !chunksIntact(arena)) return fail(Status.CORRUPTION, arena);
  return Status.OK;
}

/** The arena kind; index.ts compares against it to call the arena's alloc directly. */
export const ARENA = defineVTable(arenaAlloc, arenaResize, arenaFree, arenaDeinit, arenaValidate);
