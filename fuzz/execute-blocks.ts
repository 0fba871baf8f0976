// The block operations, each done on the heap and on the model, then checked on what it touched:
// alloc (view, raw, dupe, create), free, in-place resize (view, raw, remap) and realloc.

import { OutOfMemoryError, type AllocOptions, type View } from "../src/index";
import type { Op } from "./ops";
import type { Block, World } from "./world";
import { isBigKind, sizeOf, viewAt } from "./kinds";
import { fbaAlloc, fbaExact, fbaFree, fbaRealloc, fbaResize } from "./fba-model";
import { checkAligned, checkChain, checkContents, checkUnchanged, snapshot } from "./checks";
import { ensure, FuzzFailure } from "./failure";
import { forEachOffset, patternMismatch, writePattern } from "./pattern";

const PAGE = 65536;

/** The value dupe() is given for element i: small integers, exact in every kind. */
const dupeValue = (id: number, i: number): number => (i * 7 + id) % 100;

function dupeSource(op: Extract<Op, { t: "alloc" }>): (number | bigint)[] {
  const values: (number | bigint)[] = [];
  for (let i = 0; i < op.n; i++) values.push(isBigKind(op.kind) ? BigInt(dupeValue(op.id, i)) : dupeValue(op.id, i));
  return values;
}

function isOutOfMemory(error: unknown): boolean {
  return error instanceof OutOfMemoryError;
}

export function execAlloc(world: World, op: Extract<Op, { t: "alloc" }>): void {
  const node = world.nodes.get(op.on);
  if (node === undefined || world.blocks.has(op.id)) return;
  const kind = op.via === "raw" ? "u8" : op.kind;
  const size = sizeOf(kind);
  const bytes = op.n * size;
  const align = op.via === "raw" ? op.align ?? 8 : Math.max(op.align ?? size, size);
  const mayFail = world.mayRunOut(node);
  const before = mayFail ? snapshot(world, node) : "";
  const predicted = node.fba !== null && fbaExact(node) ? fbaAlloc(node, bytes, align) : undefined;
  const overLimit = node.gpa !== null && node.limit !== null && bytes > 0 && node.gpa.totalRequestedBytes + bytes > node.limit;
  let view: View | null = null;
  let ptr = 0;
  try {
    if (op.via === "raw") {
      ptr = node.a.rawAlloc(bytes, align);
      if (ptr !== 0) view = viewAt("u8", world.buffer, ptr, bytes);
    } else if (op.via === "dupe") {
      view = node.a.dupe(kind, dupeSource(op));
    } else if (op.via === "create") {
      view = node.a.create(kind);
    } else {
      const options: AllocOptions | undefined = op.align !== null || op.zero ? { zero: op.zero } : undefined;
      if (options !== undefined && op.align !== null) options.align = op.align;
      view = node.a.alloc(kind, op.n, options);
    }
  } catch (error) {
    if (!isOutOfMemory(error)) throw error;
  }
  if (view === null) {
    world.count("out-of-memory");
    ensure(mayFail, "unexpected-out-of-memory", () => `${op.via} of ${bytes} bytes from ${node.type} #${node.id} failed`);
    ensure(predicted !== undefined ? predicted === null : true, "fba-model",
      () => `FBA #${node.id} refused ${bytes} bytes at align ${align}; the model fits them at ${predicted?.ptr}`);
    checkUnchanged(world, before, `a failed ${op.via}`, [], node);
    return;
  }
  ensure(!overLimit, "gpa-memory-limit", () => `GPA #${node.id} allocated ${bytes} bytes past its memoryLimit ${node.limit}`);
  if (op.via !== "raw") ptr = view.length === 0 ? 0 : view.byteOffset;
  ensure(view.length === (op.via === "raw" ? bytes : op.n), "view-length", () => `${op.via} gave ${view!.length} elements, asked ${op.n}`);
  if (predicted !== undefined) {
    ensure(predicted !== null && (bytes === 0 || predicted.ptr === ptr), "fba-model",
      () => `FBA #${node.id} put ${bytes} bytes at ${ptr}; the model says ${predicted === null ? "out of memory" : predicted.ptr}`);
    node.fbaEnd = predicted!.end;
  }
  const block: Block = { id: op.id, owner: node, kind, n: view.length, bytes, ptr, align, view, container: false };
  world.count(`alloc:${op.via} on ${node.type}`);
  world.addBlock(block);
  checkAligned(block);
  checkFresh(world, block, op);
  writePattern(world.heap.u8, block.id, ptr, bytes);
  checkChain(node);
}

/** invariant: { zero: true } memory reads zero; dupe() memory holds the source. */
function checkFresh(world: World, block: Block, op: Extract<Op, { t: "alloc" }>): void {
  if (block.bytes === 0) return;
  if (op.zero && op.via === "alloc") {
    const u8 = world.heap.u8;
    forEachOffset(block.bytes, (i) => ensure(u8[block.ptr + i] === 0, "zeroed", () => `block #${block.id} byte ${i} is ${u8[block.ptr + i]} after { zero: true }`));
  }
  if (op.via === "dupe") {
    const view = world.viewOf(block);
    for (let i = 0; i < op.n; i++) {
      ensure(Number(view[i]) === dupeValue(op.id, i), "dupe-contents", () => `dupe block #${block.id} element ${i} is ${view[i]}`);
    }
  }
}

export function execFree(world: World, op: Extract<Op, { t: "free" }>): void {
  const block = world.blocks.get(op.id);
  if (block === undefined || block.container) return;
  freeBlock(world, block, op.raw);
}

export function freeBlock(world: World, block: Block, raw: boolean): void {
  const node = block.owner;
  if (raw) node.a.rawFree(block.ptr, block.bytes, block.align);
  else if (block.n === 1) node.a.destroy(world.viewOf(block));
  else node.a.free(world.viewOf(block));
  if (node.fba !== null && fbaExact(node)) node.fbaEnd = fbaFree(node, block.ptr, block.bytes);
  world.removeBlock(block);
  checkChain(node);
}

/** Whether an in-place resize must succeed by Zig's contract: bump allocators always shrink. */
function mustResize(block: Block, newBytes: number): boolean {
  const type = block.owner.type;
  if (block.bytes === 0) return newBytes === 0;
  if (newBytes <= block.bytes && (type === "arena" || type === "fba")) return true;
  return type === "page" && newBytes > 0 && Math.ceil(newBytes / PAGE) === Math.ceil(block.bytes / PAGE);
}

export function execResize(world: World, op: Extract<Op, { t: "resize" }>): void {
  const block = world.blocks.get(op.id);
  // An empty block has no address of its own to hand rawResize or rawRemap.
  if (block === undefined || block.container || (block.bytes === 0 && op.via !== "view")) return;
  const node = block.owner;
  const newBytes = op.n * sizeOf(block.kind);
  const before = snapshot(world, node);
  const predicted = node.fba !== null && fbaExact(node) ? fbaResize(node, block.ptr, block.bytes, newBytes) : undefined;
  const overLimit = node.gpa !== null && node.limit !== null && newBytes > block.bytes
    && node.gpa.totalRequestedBytes + newBytes - block.bytes > node.limit;
  let newPtr = block.ptr;
  let ok: boolean;
  if (op.via === "view") {
    const view = world.viewOf(block);
    const resized = node.a.resize(view, op.n);
    ok = resized !== null;
    if (resized !== null) ensure(resized.length === op.n && (op.n === 0 || resized.byteOffset === block.ptr), "resize-in-place",
      () => `resize of block #${block.id} to ${op.n} gave ${resized.length} elements at ${resized.byteOffset}, not at ${block.ptr}`);
  } else if (op.via === "raw") {
    ok = node.a.rawResize(block.ptr, block.bytes, newBytes, block.align);
  } else {
    newPtr = node.a.rawRemap(block.ptr, block.bytes, newBytes, block.align);
    ok = newPtr !== 0;
  }
  if (predicted !== undefined) ensure(ok === (predicted !== null), "fba-model",
    () => `FBA #${node.id} ${ok ? "resized" : "refused to resize"} block #${block.id} ${block.bytes} → ${newBytes}; the model disagrees`);
  if (!ok) {
    world.count("resize-refused");
    ensure(!mustResize(block, newBytes), "resize-must-succeed", () => `${node.type} #${node.id} refused to resize block #${block.id} from ${block.bytes} to ${newBytes} bytes`);
    checkUnchanged(world, before, "a refused resize", [block], node);
    return;
  }
  ensure(!overLimit, "gpa-memory-limit", () => `GPA #${node.id} grew block #${block.id} past its memoryLimit ${node.limit}`);
  if (predicted !== undefined && predicted !== null) node.fbaEnd = predicted;
  if (newBytes === 0) {
    world.removeBlock(block);
  } else {
    moved(world, block, op.n, newBytes, newPtr);
  }
  checkChain(node);
}

/** The block now spans `newBytes` at `ptr`: its old pattern must have come along. */
function moved(world: World, block: Block, n: number, newBytes: number, ptr: number): void {
  const u8 = world.heap.u8;
  const bad = patternMismatch(u8, block.id, ptr, block.bytes, Math.min(block.bytes, newBytes));
  if (bad >= 0) throw new FuzzFailure("contents-kept", `block #${block.id} moved ${block.ptr} → ${ptr} (${block.bytes} → ${newBytes} bytes) lost offset ${bad}`);
  world.setLength(block, n, newBytes, ptr);
  checkAligned(block);
  writePattern(u8, block.id, ptr, newBytes);
}

export function execRealloc(world: World, op: Extract<Op, { t: "realloc" }>): void {
  const block = world.blocks.get(op.id);
  if (block === undefined || block.container) return;
  reallocBlock(world, block, op.n, "view");
}

/**
 * realloc of `block` to `n` elements, through the view (realloc) or the raw API (rawRealloc), on
 * the heap and on the model: in place or moved, min(old, new) bytes come along; out of memory
 * only where memory may run out, and then nothing changed.
 */
export function reallocBlock(world: World, block: Block, n: number, via: "view" | "raw"): void {
  const node = block.owner;
  const size = sizeOf(block.kind);
  const newBytes = n * size;
  // A block that moves is allocated anew: at the kind's alignment through a view (which has no
  // other), at the block's own through the raw API.
  const align = via === "view" ? size : block.align;
  const before = snapshot(world, node);
  const predicted = node.fba !== null && fbaExact(node) ? fbaRealloc(node, block.ptr, block.bytes, newBytes, align) : undefined;
  /** Where the block now starts (0 once empty), or null if memory ran out. */
  let ptr: number | null = null;
  try {
    if (via === "view") {
      const result = node.a.realloc(world.viewOf(block), n);
      ensure(result.length === n, "view-length", () => `realloc gave ${result.length} elements, asked ${n}`);
      ptr = n === 0 ? 0 : result.byteOffset;
    } else {
      const raw = node.a.rawRealloc(block.ptr, block.bytes, newBytes, align);
      // To 0 bytes it frees and answers with the alignment, as rawAlloc(0) does.
      if (raw !== 0) ensure(newBytes !== 0 || raw === align, "realloc-to-empty", () => `rawRealloc of block #${block.id} to 0 bytes gave ${raw}, not ${align}`);
      if (raw !== 0) ptr = newBytes === 0 ? 0 : raw;
    }
  } catch (error) {
    if (!isOutOfMemory(error)) throw error;
  }
  if (ptr === null) {
    world.count("out-of-memory");
    ensure(world.mayRunOut(node), "unexpected-out-of-memory", () => `${via} realloc of block #${block.id} to ${newBytes} bytes on ${node.type} #${node.id} failed`);
    ensure(predicted === undefined || predicted === null, "fba-model", () => `FBA #${node.id} refused a realloc the model fits`);
    checkUnchanged(world, before, `a failed ${via} realloc`, [block], node);
    return;
  }
  if (predicted !== undefined) {
    ensure(predicted !== null && (newBytes === 0 || predicted.ptr === ptr), "fba-model",
      () => `FBA #${node.id} realloc'd block #${block.id} to ${ptr}; the model says ${predicted?.ptr}`);
    node.fbaEnd = predicted!.end;
  }
  if (newBytes === 0) {
    world.setLength(block, 0, 0, 0);
  } else {
    if (ptr !== block.ptr) block.align = align;
    moved(world, block, n, newBytes, ptr);
  }
  checkContents(world, block);
  checkChain(node);
}
