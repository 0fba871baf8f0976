// The invariants, each named: the model against the heap after a step. Cheap ones run on what a
// step touched; the walk over every block and heap.validate() run every k steps.

import { ensure, FuzzFailure } from "./failure";
import { patternMismatch } from "./pattern";
import { fbaExact } from "./fba-model";
import type { AllocNode, Block, World } from "./world";

const PAGE = 65536;

/** invariant: a block lies at a multiple of its alignment (a whole page for the page allocator). */
export function checkAligned(block: Block): void {
  if (block.bytes === 0) return;
  const align = block.owner.type === "page" ? PAGE : block.align;
  ensure(block.ptr % align === 0, "aligned", () => `block #${block.id} at ${block.ptr} is not aligned to ${align}`);
}

/** invariant: a live block holds exactly the bytes written to it (at the pattern's offsets). */
export function checkContents(world: World, block: Block, u8 = world.heap.u8): void {
  if (block.container || block.bytes === 0) return;
  const bad = patternMismatch(u8, block.id, block.ptr, block.bytes);
  ensure(bad < 0, "contents", () => `block #${block.id} (${block.bytes} bytes at ${block.ptr}, ${block.owner.type} #${block.owner.id}) `
    + `changed at offset ${bad}: ${u8[block.ptr + bad]}`);
}

/**
 * invariant: the allocator's counters agree with the model. A GPA's totalRequestedBytes is the
 * sum of its live blocks, plus, for arenas stacked on it, at least their capacity (their chunk
 * headers are not visible); an FBA's endIndex is exactly the model's; an arena's capacity covers
 * its live blocks and never shrinks between resets (Zig frees chunks only on reset and deinit).
 */
export function checkNode(node: AllocNode): void {
  if (node.gpa !== null) {
    const requested = node.gpa.totalRequestedBytes;
    let hidden = 0;
    let exact = true;
    for (const child of node.children) {
      if (child.arena === null) continue;
      const capacity = child.arena.queryCapacity();
      hidden += capacity;
      if (capacity > 0) exact = false;
    }
    const expected = node.liveBytes + hidden;
    ensure(exact ? requested === expected : requested >= expected, "gpa-requested",
      () => `GPA #${node.id}: totalRequestedBytes ${requested}, model ${exact ? "" : "at least "}${expected}`);
  } else if (node.fba !== null) {
    const end = node.fba.endIndex;
    if (!fbaExact(node)) {
      node.fbaEnd = end;
      return;
    }
    ensure(end === node.fbaEnd, "fba-end-index", () => `FBA #${node.id}: endIndex ${end}, model ${node.fbaEnd}`);
  } else if (node.arena !== null) {
    const capacity = node.arena.queryCapacity();
    ensure(capacity >= node.capacity, "arena-capacity-monotonic",
      () => `arena #${node.id}: capacity fell from ${node.capacity} to ${capacity} without a reset`);
    ensure(capacity >= node.liveBytes, "arena-capacity-covers",
      () => `arena #${node.id}: capacity ${capacity} below its live bytes ${node.liveBytes}`);
    node.capacity = capacity;
  }
}

/**
 * invariant: a safety GPA's leaks() lists every live block of the model, at its offset and
 * length, and (with no arena stacked on it, whose chunks are allocations too) nothing else.
 */
export function checkLeaks(node: AllocNode): void {
  if (node.gpa === null || !node.safety) return;
  const listed = new Map(node.gpa.leaks().map((leak) => [leak.ptr, leak.len]));
  let live = 0;
  for (const block of node.blocks) {
    if (block.bytes === 0) continue;
    live++;
    ensure(listed.get(block.ptr) === block.bytes, "gpa-leaks",
      () => `GPA #${node.id}: leaks() lists ${listed.get(block.ptr) ?? "nothing"} at block #${block.id}'s offset ${block.ptr}, model ${block.bytes} bytes`);
  }
  const stacked = [...node.children].some((child) => child.arena !== null);
  ensure(stacked || listed.size === live, "gpa-leaks", () => `GPA #${node.id}: leaks() lists ${listed.size} allocations, model ${live}`);
}

/** checkNode for `node` and every allocator it is stacked on. */
export function checkChain(node: AllocNode): void {
  for (let n: AllocNode | null = node; n !== null; n = n.parent) checkNode(n);
}

/**
 * invariant: no two live blocks overlap, except that an FBA's buffer holds the blocks of the FBA
 * and of everything stacked on it; and whatever is stacked on an FBA lies inside its buffer.
 */
export function checkOverlap(world: World): void {
  const sorted = [...world.blocks.values()].filter((b) => b.bytes > 0).sort((x, y) => x.ptr - y.ptr || y.bytes - x.bytes);
  const open: Block[] = [];
  for (const block of sorted) {
    while (open.length > 0 && open[open.length - 1].ptr + open[open.length - 1].bytes <= block.ptr) open.pop();
    const outer = open[open.length - 1];
    if (outer !== undefined) {
      const holder = [...world.nodes.values()].find((n) => n.buf === outer);
      const nested = holder !== undefined && world.descendsFrom(block.owner, holder)
        && block.ptr + block.bytes <= outer.ptr + outer.bytes;
      ensure(nested, "no-overlap", () => `block #${block.id} [${block.ptr}, +${block.bytes}) of ${block.owner.type} #${block.owner.id} `
        + `overlaps block #${outer.id} [${outer.ptr}, +${outer.bytes}) of ${outer.owner.type} #${outer.owner.id}`);
    }
    if (block.container) open.push(block);
  }
  for (const block of sorted) {
    for (let n: AllocNode | null = block.owner; n !== null; n = n.parent) {
      const buf = n.buf;
      if (buf === null) continue;
      ensure(block.ptr >= buf.ptr && block.ptr + block.bytes <= buf.ptr + buf.bytes, "inside-fba",
        () => `block #${block.id} [${block.ptr}, +${block.bytes}) lies outside FBA #${n!.id}'s buffer [${buf.ptr}, +${buf.bytes})`);
    }
  }
}

/** invariant: heap.validate() finds every allocator's metadata consistent. */
export function checkValidate(world: World): void {
  try {
    world.heap.validate();
  } catch (error) {
    throw new FuzzFailure("validate", String(error));
  }
}

/** Every check over the whole world: what runs every k steps and at the end. */
export function checkAll(world: World): void {
  const u8 = world.heap.u8;
  for (const block of world.blocks.values()) {
    checkAligned(block);
    checkContents(world, block, u8);
  }
  for (const node of world.nodes.values()) {
    checkNode(node);
    checkLeaks(node);
  }
  checkOverlap(world);
  checkValidate(world);
}

/**
 * What a failed call must leave as it was. A rejected call (a bad argument, a misuse): every
 * allocator's counters and the heap's pages in use. An allocation from `ranOut` that ran out:
 * what users see, the GPAs' requested bytes and the FBAs' ends, but for the allocators under
 * `ranOut`: like Zig's GPA, which reserves room in its table of large allocations before asking
 * for the block, an allocator may keep metadata it grew on the way (and so may its backing).
 */
export function snapshot(world: World, ranOut: AllocNode | null = null): string {
  const parts: (string | number)[] = ranOut !== null ? [] : [world.heap.stats().pagesInUseBytes];
  for (const node of world.nodes.values()) {
    if (ranOut !== null && node !== ranOut && world.descendsFrom(ranOut, node)) continue;
    if (node.gpa !== null) parts.push(`g${node.id}:${node.gpa.totalRequestedBytes}`);
    else if (node.fba !== null) parts.push(`f${node.id}:${node.fba.endIndex}`);
    else if (node.arena !== null && ranOut === null) parts.push(`a${node.id}:${node.arena.queryCapacity()}`);
  }
  return parts.join(" ");
}

/** invariant: a call that failed changed nothing (counters, pages in use, contents). */
export function checkUnchanged(world: World, before: string, what: string, blocks: Iterable<Block> = world.blocks.values(),
  ranOut: AllocNode | null = null): void {
  const after = snapshot(world, ranOut);
  ensure(after === before, "unchanged-after-failure", () => `${what} changed state: before [${before}], after [${after}]`);
  const u8 = world.heap.u8;
  for (const block of blocks) checkContents(world, block, u8);
}
