// The allocator-stack operations: making a GPA, an arena or an FBA on any allocator, deinit,
// the arena's reset modes and checkpoints, the FBA's reset, the GPA's memoryLimit, and draining an allocator.

import { ArenaAllocator, FixedBufferAllocator, GeneralPurposeAllocator, InvalidFreeError, OutOfMemoryError } from "../src/index";
import type { Op } from "./ops";
import type { AllocNode, Block, World } from "./world";
import { checkChain, checkNode } from "./checks";
import { ensure } from "./failure";
import { fbaAlloc, fbaExact } from "./fba-model";
import { freeBlock } from "./execute-blocks";
import { writePattern } from "./pattern";

/** Runs `make`; an OutOfMemoryError is fine where the stack may run out (null then). */
function orOutOfMemory<T>(world: World, node: AllocNode, what: string, make: () => T): T | null {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof OutOfMemoryError)) throw error;
    ensure(world.mayRunOut(node), "unexpected-out-of-memory", () => `${what} on ${node.type} #${node.id}: ${error.message}`);
    return null;
  }
}

export function execGpa(world: World, op: Extract<Op, { t: "gpa" }>): void {
  const parent = world.nodes.get(op.on);
  if (parent === undefined || world.nodes.has(op.id)) return;
  const gpa = orOutOfMemory(world, parent, "new GeneralPurposeAllocator", () => new GeneralPurposeAllocator({
    backing: parent.a, safety: op.safety, memoryLimit: op.limit ?? Infinity, onLeak: () => {},
  }));
  if (gpa === null) return;
  world.count(`gpa ${op.safety ? "safe" : "unsafe"} on ${parent.type}`);
  world.addNode({ id: op.id, type: "gpa", parent, a: gpa.allocator(), gpa, safety: op.safety, limit: op.limit });
  checkChain(parent);
}

export function execArena(world: World, op: Extract<Op, { t: "arena" }>): void {
  const parent = world.nodes.get(op.on);
  if (parent === undefined || world.nodes.has(op.id)) return;
  const arena = orOutOfMemory(world, parent, "new ArenaAllocator", () => new ArenaAllocator(parent.a));
  if (arena === null) return;
  world.count(`arena on ${parent.type}`);
  world.addNode({ id: op.id, type: "arena", parent, a: arena.allocator(), arena });
}

export function execFba(world: World, op: Extract<Op, { t: "fba" }>): void {
  const parent = world.nodes.get(op.on);
  if (parent === undefined || world.nodes.has(op.id) || world.blocks.has(op.buf)) return;
  const view = orOutOfMemory(world, parent, "the FBA's buffer", () => parent.a.alloc("u8", op.bytes));
  if (view === null) return;
  if (parent.fba !== null && fbaExact(parent)) {
    const predicted = fbaAlloc(parent, op.bytes, 1);
    ensure(predicted !== null && predicted.ptr === view.byteOffset, "fba-model",
      () => `FBA #${parent.id} put a buffer of ${op.bytes} bytes at ${view.byteOffset}; the model says ${predicted?.ptr}`);
    parent.fbaEnd = predicted.end;
  }
  // The FBA's record comes from the heap's own pages, whatever the buffer came from: only a heap
  // at its maximum may refuse it, and the buffer then stays an ordinary block of the parent.
  const fba = orOutOfMemory(world, world.nodes.get(0)!, "new FixedBufferAllocator", () => new FixedBufferAllocator(view));
  const buf: Block = { id: op.buf, owner: parent, kind: "u8", n: op.bytes, bytes: op.bytes, ptr: view.byteOffset, align: 1, view, container: fba !== null };
  world.addBlock(buf);
  if (fba === null) {
    writePattern(world.heap.u8, buf.id, buf.ptr, buf.bytes);
    return;
  }
  world.fbasMade++;
  world.count(`fba on ${parent.type}`);
  world.addNode({ id: op.id, type: "fba", parent, a: fba.allocator(), fba, buf });
  checkChain(parent);
}

/** An allocator with nothing stacked on it: what deinit and reset require of the model. */
const isLeaf = (node: AllocNode): boolean => node.children.size === 0;

function dropBlocks(world: World, node: AllocNode): void {
  for (const block of [...node.blocks]) world.removeBlock(block);
}

export function execDeinit(world: World, op: Extract<Op, { t: "deinit" }>): void {
  const node = world.nodes.get(op.id);
  if (node === undefined || node.parent === null || !isLeaf(node)) return;
  if (node.gpa !== null) {
    if ([...node.blocks].some((b) => b.bytes > 0)) return;
    const result = node.gpa.deinit();
    ensure(result === "ok", "gpa-deinit-ok", () => `GPA #${node.id} with no live blocks reported "${result}"`);
  } else if (node.arena !== null) {
    node.arena.deinit();
  }
  dropBlocks(world, node);
  world.removeNode(node);
  if (node.buf !== null) freeBlock(world, node.buf, false);
  const parent = node.parent;
  if (parent.fba !== null && node.arena !== null) parent.fbaEnd = parent.fba.endIndex;
  checkChain(parent);
}

export function execReset(world: World, op: Extract<Op, { t: "reset" }>): void {
  const node = world.nodes.get(op.id);
  if (node === undefined || node.arena === null || !isLeaf(node)) return;
  const before = node.arena.queryCapacity();
  const ok = node.arena.reset(op.mode);
  const after = node.arena.queryCapacity();
  const wanted = op.mode === "free_all" ? 0 : op.mode === "retain_capacity" ? before : Math.min(op.mode.retain_with_limit, before);
  ensure(ok || world.mayRunOut(node), "arena-reset-ok", () => `arena #${node.id} reset(${JSON.stringify(op.mode)}) returned false with memory to spare`);
  ensure(ok ? after === wanted : after <= before, "arena-reset-capacity",
    () => `arena #${node.id} reset(${JSON.stringify(op.mode)}) → ${ok}: capacity ${before} → ${after}, wanted ${ok ? wanted : `at most ${before}`}`);
  dropBlocks(world, node);
  node.checkpoints.length = 0;
  node.capacity = after;
  const parent = node.parent!;
  if (parent.fba !== null) parent.fbaEnd = parent.fba.endIndex;
  checkChain(node);
}

export function execCheckpoint(world: World, op: Extract<Op, { t: "checkpoint" }>): void {
  const node = world.nodes.get(op.id);
  if (node === undefined || node.arena === null || !isLeaf(node)) return;
  const places = new Map([...node.blocks].map((b) => [b, { ptr: b.ptr, bytes: b.bytes }]));
  node.checkpoints.push({ cp: node.arena.checkpoint(), places });
}

/**
 * Restores the checkpoint `depth` below the newest: the blocks made, moved or grown since are
 * freed (and dropped from the model), the others keep their bytes; the checkpoints above it are
 * gone. A checkpoint the arena calls stale (the bump went below it since: a free of the last
 * block that was live at the checkpoint) is an InvalidFreeError that changes nothing.
 */
export function execRestore(world: World, op: Extract<Op, { t: "restore" }>): void {
  const node = world.nodes.get(op.id);
  if (node === undefined || node.arena === null || !isLeaf(node) || node.checkpoints.length === 0) return;
  const index = Math.max(0, node.checkpoints.length - 1 - op.depth);
  const { cp, places } = node.checkpoints[index];
  try {
    node.arena.restore(cp);
  } catch (error) {
    ensure(error instanceof InvalidFreeError, "arena-restore", () => `arena #${node.id} restore threw ${String(error)}`);
    const shrankBelow = [...places].some(([block, then]) => !node.blocks.has(block) || block.ptr !== then.ptr || block.bytes < then.bytes);
    ensure(shrankBelow, "arena-restore-stale", () => `arena #${node.id} called a checkpoint stale though every block live then still is`);
    node.checkpoints.splice(index);
    checkNode(node);
    return;
  }
  world.count("arena restore");
  for (const block of [...node.blocks]) {
    const then = places.get(block);
    if (then === undefined || block.ptr !== then.ptr || block.bytes > then.bytes) world.removeBlock(block);
  }
  node.checkpoints.splice(index + 1);
  node.capacity = node.arena.queryCapacity();
  const parent = node.parent!;
  if (parent.fba !== null) parent.fbaEnd = parent.fba.endIndex;
  checkChain(node);
}

export function execFbaReset(world: World, op: Extract<Op, { t: "fbaReset" }>): void {
  const node = world.nodes.get(op.id);
  if (node === undefined || node.fba === null || !isLeaf(node)) return;
  node.fba.reset();
  dropBlocks(world, node);
  node.fbaEnd = 0;
  checkNode(node);
}

export function execLimit(world: World, op: Extract<Op, { t: "limit" }>): void {
  const node = world.nodes.get(op.id);
  if (node === undefined || node.gpa === null) return;
  node.gpa.memoryLimit = op.limit ?? Infinity;
  node.limit = op.limit;
}

/** Frees every block of the allocator, newest first: a bump allocator then rolls all the way back. */
export function execDrain(world: World, op: Extract<Op, { t: "drain" }>): void {
  const node = world.nodes.get(op.id);
  if (node === undefined) return;
  const blocks = [...node.blocks].filter((b) => !b.container).reverse();
  // Raw and view frees alternate by block id: the two paths must agree.
  for (const block of blocks) freeBlock(world, block, block.bytes > 0 && block.id % 2 === 0);
}
