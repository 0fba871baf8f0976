// The words a trial may break: every 4-byte word the library wrote as metadata for this stack,
// grouped by region (the rows of the final table). Found by following the layouts (layout.ts)
// from the allocators' handles and from the blocks the setup holds.
import { MAX_SMALL, PAGE_SIZE } from "../bindings/abi.generated";
import {
  WORD, ARENA_FIRST, ARENA_RECORD_END, CHUNK_HEADER, FIXED_RECORD_END, GPA_DIRECTORY, GPA_QUARANTINE,
  GPA_RECORD_END, DIRECTORY_ENTRY, SLAB_HEADER_AT, SLAB_CAPACITY, SLAB_INFO, SAFE_SLAB
} from "./layout";
import type { World } from "./world";

export const REGIONS = [
  "page-meta", "page-run", "record", "slab-header", "slab-meta", "slot-link", "directory", "quarantine", "chunk",
] as const;
export type Region = (typeof REGIONS)[number];
export type Targets = Map<Region, number[]>;

/** Longest list walk followed here: a longer one is already a cycle. */
const WALK_LIMIT = 256;

function words(start: number, bytes: number): number[] {
  const out: number[] = [];
  for (let a = start; a + WORD <= start + bytes; a += WORD) out.push(a);
  return out;
}

/** The slabs the GPA users' small blocks live in (a slot's slab is its 64 KiB page; gpa/slab.ts). */
function slabsOf(w: World): number[] {
  const slabs = new Set<number>();
  for (const user of w.users) {
    if (user.kind !== "gpa") continue;
    for (const b of w.ledger.blocksOf(user.name)) if (b.len <= MAX_SMALL) slabs.add(b.ptr - (b.ptr % PAGE_SIZE));
  }
  return [...slabs];
}

function slabWords(u32: Uint32Array, slab: number, t: Targets): void {
  t.get("slab-header")!.push(...words(slab + SLAB_HEADER_AT, PAGE_SIZE - SLAB_HEADER_AT));
  const capacity = u32[(slab + SLAB_CAPACITY) / WORD];
  if (u32[(slab + SLAB_INFO) / WORD] & SAFE_SLAB) {
    t.get("slab-meta")!.push(...words(slab + SLAB_HEADER_AT - capacity * WORD, capacity * WORD));
    return;
  }
  // Without safety a free slot's first word links the slab's free list (header word `free`).
  let slot = u32[(slab + SLAB_HEADER_AT + 8) / WORD];
  for (let i = 0; i < WALK_LIMIT && slot !== 0 && slot - (slot % PAGE_SIZE) === slab; i++) {
    t.get("slot-link")!.push(slot);
    slot = u32[slot / WORD];
  }
}

function gpaWords(u32: Uint32Array, handle: number, t: Targets): void {
  const table = u32[(handle + GPA_DIRECTORY) / WORD];
  const capacity = u32[(handle + GPA_DIRECTORY + WORD) / WORD];
  if (table !== 0) t.get("directory")!.push(...words(table, capacity * DIRECTORY_ENTRY));
  const ring = u32[(handle + GPA_QUARANTINE) / WORD];
  const oldest = u32[(handle + GPA_QUARANTINE + WORD) / WORD];
  const count = u32[(handle + GPA_QUARANTINE + 2 * WORD) / WORD];
  for (let i = 0; ring !== 0 && i < Math.min(count, WALK_LIMIT); i++) t.get("quarantine")!.push(ring + ((oldest + i) % 4096) * WORD);
}

function chunkWords(u32: Uint32Array, handle: number, t: Targets): void {
  let chunk = u32[(handle + ARENA_FIRST) / WORD];
  for (let i = 0; i < WALK_LIMIT && chunk !== 0 && chunk + CHUNK_HEADER <= u32.byteLength; i++) {
    t.get("chunk")!.push(...words(chunk, CHUNK_HEADER));
    chunk = u32[chunk / WORD];
  }
}

export function findTargets(w: World): Targets {
  const t: Targets = new Map(REGIONS.map((r) => [r, [] as number[]]));
  const heap = w.stack.heap;
  const u32 = heap.u32;
  t.get("page-meta")!.push(...words(0, heap.stats().metadataBytes));
  if (w.freeRun !== 0) t.get("page-run")!.push(...words(w.freeRun, 3 * WORD), w.freeRun + w.freeRunBytes - WORD);
  for (const { gpa } of w.stack.gpas) {
    const handle = gpa.allocator().handle;
    t.get("record")!.push(...words(handle, GPA_RECORD_END));
    gpaWords(u32, handle, t);
  }
  for (const { arena } of w.stack.arenas) {
    const handle = arena.allocator().handle;
    t.get("record")!.push(...words(handle, ARENA_RECORD_END));
    chunkWords(u32, handle, t);
  }
  if (w.stack.fba) t.get("record")!.push(...words(w.stack.fba.fba.allocator().handle, FIXED_RECORD_END));
  for (const slab of slabsOf(w)) slabWords(u32, slab, t);
  for (const [region, list] of t) if (list.length === 0) t.delete(region);
  return t;
}

/** Memory no allocation may return: the metadata below the first page, and the record pages. */
export function reservedRanges(w: World): { what: string; start: number; len: number }[] {
  const out = [{ what: "page allocator metadata", start: 0, len: w.stack.heap.stats().metadataBytes }];
  const pages = new Set<number>();
  for (const user of w.stack.users) {
    if (user.kind !== "page") pages.add(user.allocator.handle - (user.allocator.handle % PAGE_SIZE));
  }
  for (const page of pages) out.push({ what: "a record page", start: page, len: PAGE_SIZE });
  return out;
}
