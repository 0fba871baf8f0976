// The bad calls: each must throw its typed error at the call and change nothing (counters, pages
// in use, every block's contents), and the heap must still validate. Kinds are listed, with
// which are known defects, in bad-kinds.ts.

import { AllocatorDeinitializedError, ArenaAllocator, DetachedViewError, DoubleFreeError, FixedBufferAllocator,
  GeneralPurposeAllocator, InvalidFreeError, OutOfMemoryError, type ElementKind, type View } from "../src/index";
import type { Op } from "./ops";
import type { BadKind } from "./bad-kinds";
import type { AllocNode, Block, World } from "./world";
import { checkUnchanged, checkValidate, snapshot } from "./checks";
import { ensure, expectThrow, FuzzFailure } from "./failure";
import { freeBlock, reallocBlock } from "./execute-blocks";
import { viewAt } from "./kinds";
import { writePattern } from "./pattern";

type BadOp = Extract<Op, { t: "bad" }>;

const BAD_LENGTHS = [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 32, 2 ** 53];
const BAD_ALIGNS = [0, 3, 6, -8, 131072, 1.5, NaN];
const BAD_KINDS_ARGS: unknown[] = ["f16", "u128", "", Array, DataView, Object, null, 8];
const PAGE = 65536;
/** The longest request, rounded up to its alignment, a GPA size class serves; larger ones are blocks of their own. */
const MAX_SMALL = 28 * 1024;

const nth = <T>(items: readonly T[], i: number): T => items[i % items.length];

/** A live, non-empty block that is nobody's buffer: what most bad calls aim at. */
function target(world: World, op: BadOp): Block | null {
  const block = world.blocks.get(op.block);
  return block !== undefined && !block.container && block.bytes > 0 ? block : null;
}

/** The bad call proper; returns false if its preconditions do not hold here (nothing was done). */
function attempt(world: World, op: BadOp, node: AllocNode | undefined, block: Block | null): boolean {
  const v = op.variant;
  const check = `bad:${op.kind}`;
  switch (op.kind) {
    case "length": {
      if (node === undefined) return false;
      const n = nth(BAD_LENGTHS, v >> 3);
      const calls: (() => unknown)[] = [() => node.a.alloc("u16", n), () => node.a.rawAlloc(n)];
      if (block !== null && block.owner === node) {
        calls.push(() => node.a.resize(world.viewOf(block), n), () => node.a.realloc(world.viewOf(block), n),
          () => node.a.rawFree(block.ptr, n, block.align));
      }
      expectThrow(check, nth(calls, v), RangeError);
      return true;
    }
    case "align": {
      if (node === undefined) return false;
      const align = nth(BAD_ALIGNS, v >> 2);
      const calls: (() => unknown)[] = [() => node.a.alloc("u8", 8, { align }), () => node.a.rawAlloc(8, align)];
      if (block !== null && block.owner === node) calls.push(() => node.a.rawFree(block.ptr, block.bytes, align));
      expectThrow(check, nth(calls, v), RangeError, TypeError);
      return true;
    }
    case "kind": {
      if (node === undefined) return false;
      const kind = nth(BAD_KINDS_ARGS, v >> 2) as ElementKind;
      const calls = [() => node.a.alloc(kind, 4), () => node.a.create(kind), () => node.a.dupe(kind, [1, 2])];
      expectThrow(check, nth(calls, v), TypeError);
      return true;
    }
    case "foreign-heap": {
      if (node === undefined) return false;
      const foreign = world.foreignView();
      expectThrow(check, nth([() => node.a.free(foreign), () => node.a.resize(foreign, 1), () => node.a.realloc(foreign, 1)], v), InvalidFreeError);
      return true;
    }
    case "not-a-view": {
      if (node === undefined) return false;
      const fake = nth([{}, { buffer: new ArrayBuffer(8), byteOffset: 0, byteLength: 8, length: 8, BYTES_PER_ELEMENT: 1 },
        new DataView(new ArrayBuffer(8))], v >> 2) as unknown as View;
      expectThrow(check, nth([() => node.a.free(fake), () => node.a.resize(fake, 1), () => node.a.realloc(fake, 1)], v), TypeError);
      return true;
    }
    case "view-dataview":
    case "view-plain-object": {
      if (block === null) return false;
      const fake = (op.kind === "view-dataview" ? new DataView(world.buffer, block.ptr, block.bytes)
        : { buffer: world.buffer, byteOffset: block.ptr, byteLength: block.bytes, length: block.bytes, BYTES_PER_ELEMENT: 1 }) as unknown as View;
      const a = block.owner.a;
      expectThrow(check, nth([() => a.free(fake), () => a.resize(fake, 1), () => a.realloc(fake, block.bytes * 2)], v), TypeError);
      return true;
    }
    case "detached": {
      if (block === null || block.view.buffer.byteLength !== 0) return false;
      const stale = block.view;
      const a = block.owner.a;
      expectThrow(check, nth([() => a.free(stale), () => a.resize(stale, 1), () => a.realloc(stale, 1), () => a.destroy(stale),
        () => a.dupe("u8", stale), () => new FixedBufferAllocator(stale)], v), DetachedViewError);
      return true;
    }
    case "after-deinit": {
      if (world.retired.length === 0) return false;
      const dead = nth(world.retired, v >> 3);
      const calls: (() => unknown)[] = [() => dead.a.alloc("u8", 8), () => dead.a.rawAlloc(8), () => dead.a.handle,
        () => dead.a.free(new Uint8Array(world.buffer, 0, 8)), () => dead.a.rawFree(PAGE, 8)];
      if (dead.arena !== null) calls.push(() => dead.arena!.reset("free_all"), () => dead.arena!.queryCapacity());
      if (dead.gpa !== null) calls.push(() => dead.gpa!.totalRequestedBytes, () => dead.gpa!.deinit());
      expectThrow(check, nth(calls, v), AllocatorDeinitializedError);
      return true;
    }
    case "cross-free": {
      if (node === undefined || block === null || !crossFreeIsInvalid(world, node, block)) return false;
      const call = () => (v % 2 === 0 ? node.a.free(world.viewOf(block)) : node.a.rawFree(block.ptr, block.bytes, block.align));
      // A safety GPA that gave the address back and never handed it out again calls it a double
      // free, as Zig's DebugAllocator does (its retained metadata says freed).
      if (node.gpa !== null) expectThrow(check, call, InvalidFreeError, DoubleFreeError);
      else expectThrow(check, call, InvalidFreeError);
      return true;
    }
    case "shape-mismatch": {
      if (block === null || !block.owner.safety) return false;
      const wrongAlign = block.align === 1 ? 2 : block.align / 2;
      const calls = [() => block.owner.a.rawFree(block.ptr, block.bytes + 1, block.align),
        () => block.owner.a.rawFree(block.ptr, block.bytes, wrongAlign),
        () => block.owner.a.rawResize(block.ptr, block.bytes + 1, block.bytes, block.align)];
      if (block.bytes > 1) calls.push(() => block.owner.a.rawFree(block.ptr, block.bytes - 1, block.align));
      expectThrow(check, nth(calls, v), InvalidFreeError);
      return true;
    }
    case "page-free-foreign": {
      if (block === null || block.owner.gpa === null || block.ptr % PAGE !== 0 || block.owner.parent?.type !== "page") return false;
      const pages = block.owner.parent.a;
      expectThrow(check, () => (v % 2 === 0 ? pages.rawFree(block.ptr, block.bytes) : pages.free(world.viewOf(block))), InvalidFreeError);
      return true;
    }
    case "unsafe-free-zero": {
      if (node === undefined || node.gpa === null || node.safety) return false;
      expectThrow(check, () => node.a.rawFree(0, nth([8, 16, 100, PAGE], v)), InvalidFreeError);
      return true;
    }
    default:
      return compound(world, op, node, block);
  }
}

/** invariant for cross-free: the block is provably outside everything `node` handed out. */
function crossFreeIsInvalid(world: World, node: AllocNode, block: Block): boolean {
  if (world.descendsFrom(block.owner, node)) return false;
  switch (node.type) {
    case "gpa": return node.safety;
    case "arena": return true;
    case "fba": return block.ptr + block.bytes <= node.buf!.ptr || block.ptr >= node.buf!.ptr + node.buf!.bytes;
    case "page": return block.ptr % PAGE !== 0;
  }
}

/** The kinds compound() makes, which check what they change themselves. */
const COMPOUND: ReadonlySet<BadKind> = new Set<BadKind>(["double-free", "double-free-reused", "double-free-reused-large", "backing-deinit",
  "raw-realloc", "ongrow-sync", "realloc-empty-oom"]);

/**
 * Bad calls that make legitimate changes (recorded in the model), or may, besides misbehaving:
 * the "nothing changed" check covers only what must not change.
 */
function compound(world: World, op: BadOp, node: AllocNode | undefined, block: Block | null): boolean {
  const check = `bad:${op.kind}`;
  switch (op.kind) {
    case "realloc-empty-oom": {
      if (node === undefined) return false;
      // An empty view is no block: its realloc is an allocation, which may keep metadata it grew
      // on the way before running out (see snapshot()).
      const before = snapshot(world, node);
      const empty = node.a.alloc("u8", 0);
      expectThrow(check, () => node.a.realloc(empty, 0xffff_0000 + (op.variant & 0xff)), OutOfMemoryError);
      checkUnchanged(world, before, check, undefined, node);
      return true;
    }
    case "double-free":
    case "double-free-reused":
    case "double-free-reused-large": {
      if (block === null || !block.owner.safety || (op.kind !== "double-free" && world.blocks.has(op.variant))) return false;
      // The quarantine API.md promises holds slots (small blocks); a large block goes back to the backing allocator.
      const large = Math.ceil(block.bytes / block.align) * block.align > MAX_SMALL;
      if (op.kind !== "double-free" && large !== (op.kind === "double-free-reused-large")) return false;
      const { ptr, bytes, align, owner } = block;
      const stale = world.viewOf(block);
      freeBlock(world, block, op.variant % 2 === 0);
      if (op.kind !== "double-free") {
        // The size class hands out a slot again: with Zig's quarantine, never the one just freed.
        const again = owner.a.rawAlloc(bytes, align);
        if (again === 0) return true;
        const reused: Block = { id: op.variant, owner, kind: "u8", n: bytes, bytes, ptr: again, align, view: viewAt("u8", world.buffer, again, bytes), container: false };
        world.addBlock(reused);
        writePattern(world.heap.u8, reused.id, again, bytes);
        // The quarantine gives way rather than grow memory (a heap at its maximum): the address
        // is the new block's now, and a second free cannot be told from its owner's.
        if (again === ptr) return true;
      }
      const before = snapshot(world);
      expectThrow(check, () => (op.variant % 4 < 2 ? owner.a.rawFree(ptr, bytes, align) : owner.a.free(stale)), DoubleFreeError);
      checkUnchanged(world, before, check);
      return true;
    }
    case "backing-deinit": {
      let gpa: GeneralPurposeAllocator | undefined;
      let arena: ArenaAllocator | undefined;
      try {
        gpa = new GeneralPurposeAllocator({ backing: world.heap.pageAllocator, onLeak: () => {} });
        arena = new ArenaAllocator(gpa.allocator());
        arena.allocator().alloc("u8", 100);
      } catch (error) {
        // A heap at its maximum cannot set the call up (the GPA's and the arena's records, the
        // arena's chunk): no bad call was made.
        if (!(error instanceof OutOfMemoryError)) throw error;
        arena?.deinit();
        gpa?.deinit();
        return false;
      }
      gpa.deinit();
      // The arena's chunk stays with the page allocator (a leak, as in Zig): teardown cannot balance.
      world.abandoned = true;
      expectThrow(check, () => arena.allocator().alloc("u8", 8), AllocatorDeinitializedError);
      return true;
    }
    case "raw-realloc": {
      if (block === null) return false;
      // Growth past the block's room (mostly a move), a shrink, the same length, a free.
      reallocBlock(world, block, nth([block.n * 3 + 1, Math.ceil(block.n / 2), block.n, 0], op.variant), "raw");
      return true;
    }
    case "ongrow-sync": {
      let heard = 0;
      const off = world.heap.onGrow(() => { heard++; });
      try {
        const grows = world.heap.stats().grows;
        world.heap.reserve(world.heap.stats().pagesFreeBytes + PAGE);
        ensure(world.heap.stats().grows > grows, check, () => "reserve past the free pages did not grow memory");
        ensure(heard > 0, check, () => "the onGrow listener had not run when the growing call returned");
      } catch (error) {
        if (!(error instanceof OutOfMemoryError)) throw error;
      } finally {
        off();
      }
      return true;
    }
    default:
      throw new FuzzFailure("fuzzer", `no executor for bad-call kind ${op.kind} ${node?.id}`);
  }
}

export function execBad(world: World, op: BadOp): void {
  const node = world.nodes.get(op.on);
  const block = target(world, op);
  const simple = !COMPOUND.has(op.kind);
  const before = simple ? snapshot(world) : "";
  if (!attempt(world, op, node, block)) return;
  world.count(`bad:${op.kind}`);
  if (simple) checkUnchanged(world, before, `bad call ${op.kind}`);
  checkValidate(world);
}
