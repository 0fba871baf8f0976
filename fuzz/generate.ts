// The next op, drawn from the PRNG given the world: mostly block traffic on a random allocator,
// sometimes a change to the stacks, and a fraction of bad calls. The generator keeps the model's
// rules (never deinit or reset an allocator with something stacked on it, drain a GPA before its
// deinit) so that every op it emits is legitimate unless it is a bad call.

import type { Op, ResetModeOp } from "./ops";
import type { AllocNode, Block, World } from "./world";
import type { Rng } from "./rng";
import type { BadKind } from "./bad-kinds";
import { KIND_NAMES, sizeOf } from "./kinds";

export interface GenOptions {
  readonly badKinds: readonly BadKind[];
  readonly badRate: number;
  /** Live bytes above which the generator prefers freeing, so a long run stays in memory. */
  readonly liveBudget: number;
}

const MAX_NODES = 9;

export class Generator {
  private nextId = 1;
  private liveBytes = 0;

  private readonly calls: readonly BadKind[];

  constructor(private readonly rng: Rng, private readonly options: GenOptions) {
    this.calls = options.badKinds;
  }

  next(world: World): Op {
    const r = this.rng;
    this.liveBytes = 0;
    for (const node of world.nodes.values()) this.liveBytes += node.liveBytes;
    if (this.calls.length > 0 && r.chance(this.options.badRate)) return this.bad(world);
    if (r.chance(0.03)) return this.stackOp(world);
    const blocks = [...world.blocks.values()].filter((b) => !b.container);
    const node = this.pickNode(world);
    const full = this.liveBytes > this.options.liveBudget || blocks.length > 400;
    if (blocks.length === 0 || (!full && r.chance(0.45))) return this.alloc(node, world);
    const block = this.recent(blocks);
    const x = r.next();
    if (full || x < 0.4) return { t: "free", id: block.id, raw: r.chance(0.3) && block.bytes > 0 };
    const n = this.newLength(block);
    if (x < 0.75) return { t: "resize", id: block.id, n, via: r.pick(["view", "view", "raw", "remap"] as const) };
    return { t: "realloc", id: block.id, n };
  }

  private id(): number {
    return this.nextId++;
  }

  /** Mostly one of the newest blocks: bump allocators free and resize in place only the last. */
  private recent(blocks: Block[]): Block {
    return this.rng.chance(0.5) ? blocks[blocks.length - 1 - Math.min(blocks.length - 1, this.rng.int(0, 2))] : this.rng.pick(blocks);
  }

  private pickNode(world: World): AllocNode {
    return this.rng.pick([...world.nodes.values()]);
  }

  private newLength(block: Block): number {
    const r = this.rng;
    const size = sizeOf(block.kind);
    const x = r.next();
    if (x < 0.35) return Math.floor(block.n * r.next());
    if (x < 0.7) return block.n + r.int(1, 64);
    if (x < 0.75) return 0;
    return Math.max(1, Math.floor(r.bytes() / size));
  }

  private alloc(node: AllocNode, world: World): Op {
    const r = this.rng;
    const via = r.pick(["alloc", "alloc", "alloc", "raw", "raw", "dupe", "create"] as const);
    const kind = r.pick(KIND_NAMES);
    const small = world.config.maximumBytes !== null || node.type === "fba";
    let bytes = r.bytes();
    if (small && bytes > 200_000) bytes = r.int(0, 200_000);
    const n = via === "create" ? 1 : via === "dupe" ? Math.min(Math.floor(bytes / sizeOf(kind)), 300)
      : via === "raw" ? bytes : Math.floor(bytes / sizeOf(kind));
    const align = via === "create" || via === "dupe" ? null : via === "raw" ? r.align() : r.chance(0.3) ? r.align() : null;
    return { t: "alloc", id: this.id(), on: node.id, via, kind, n, align, zero: via === "alloc" && r.chance(0.15) };
  }

  private stackOp(world: World): Op {
    const r = this.rng;
    const node = this.pickNode(world);
    const x = r.next();
    if (x < 0.45 && world.nodes.size < MAX_NODES) return this.newAllocator(node, world);
    if (node.parent === null) return { t: "drain", id: node.id };
    // Something stacked on it: end that first, leaves first.
    if (node.children.size > 0) return this.stackOp2(this.leafUnder(node));
    return this.stackOp2(node);
  }

  private stackOp2(node: AllocNode): Op {
    const r = this.rng;
    const x = r.next();
    if (node.arena !== null && x < 0.3) return { t: "reset", id: node.id, mode: this.resetMode() };
    if (node.arena !== null && x < 0.45) return { t: "checkpoint", id: node.id };
    if (node.arena !== null && x < 0.6) return { t: "restore", id: node.id, depth: r.int(0, 2) };
    if (node.fba !== null && x < 0.4) return { t: "fbaReset", id: node.id };
    if (node.gpa !== null && x < 0.15) return { t: "limit", id: node.id, limit: r.chance(0.5) ? null : r.int(1 << 16, 8 << 20) };
    if (node.gpa !== null && [...node.blocks].some((b) => b.bytes > 0)) return { t: "drain", id: node.id };
    return { t: "deinit", id: node.id };
  }

  private leafUnder(node: AllocNode): AllocNode {
    let leaf = node;
    while (leaf.children.size > 0) leaf = this.rng.pick([...leaf.children]);
    return leaf;
  }

  private resetMode(): ResetModeOp {
    const r = this.rng;
    const x = r.next();
    if (x < 0.3) return "free_all";
    if (x < 0.65) return "retain_capacity";
    return { retain_with_limit: r.chance(0.1) ? 0 : r.int(1, 1 << 20) };
  }

  private newAllocator(node: AllocNode, world: World): Op {
    const r = this.rng;
    const x = r.next();
    const limited = world.config.maximumBytes !== null ? r.chance(0.5) : r.chance(0.1);
    if (x < 0.35 && (node.type === "page" || node.type === "arena")) {
      return { t: "gpa", id: this.id(), on: node.id, safety: r.chance(0.6), limit: limited ? r.int(1 << 16, 4 << 20) : null };
    }
    if (x < 0.7) return { t: "arena", id: this.id(), on: node.id };
    return { t: "fba", id: this.id(), on: node.id, buf: this.id(), bytes: r.int(1, 1 << r.int(4, 20)) };
  }

  private bad(world: World): Op {
    const r = this.rng;
    const kind = r.pick(this.calls);
    const blocks = [...world.blocks.values()];
    const block = blocks.length > 0 ? r.pick(blocks).id : -1;
    const variant = kind === "double-free-reused" || kind === "double-free-reused-large" ? this.id() : r.int(0, 1 << 16);
    return { t: "bad", kind, block, on: this.pickNode(world).id, variant };
  }
}
