// The recorded operations: plain JSON, naming blocks and allocators by the ids the generator gave
// them, so that a run replays without its PRNG and a shrinker can drop any op. An op whose
// targets do not exist (an earlier op was dropped) is skipped on replay.

import type { KindName } from "../src/index";
import type { BadKind } from "./bad-kinds";

export type ResetModeOp = "free_all" | "retain_capacity" | { retain_with_limit: number };
/** How a block is made: alloc(), rawAlloc(), dupe() or create(). */
export type AllocVia = "alloc" | "raw" | "dupe" | "create";
/** How a block is resized in place: resize(view), rawResize or rawRemap. */
export type ResizeVia = "view" | "raw" | "remap";

export type Op =
  | { t: "gpa"; id: number; on: number; safety: boolean; limit: number | null }
  | { t: "arena"; id: number; on: number }
  /** An FBA over a fresh u8 block `buf` of `bytes` bytes from allocator `on`. */
  | { t: "fba"; id: number; on: number; buf: number; bytes: number }
  /** deinit() of a GPA or arena; for an FBA, dropping it and freeing its buffer. */
  | { t: "deinit"; id: number }
  | { t: "reset"; id: number; mode: ResetModeOp }
  /** arena.checkpoint(), pushed on the arena's stack of checkpoints. */
  | { t: "checkpoint"; id: number }
  /** arena.restore() of the checkpoint `depth` below the newest (older ones stay). */
  | { t: "restore"; id: number; depth: number }
  | { t: "fbaReset"; id: number }
  | { t: "limit"; id: number; limit: number | null }
  | { t: "alloc"; id: number; on: number; via: AllocVia; kind: KindName; n: number; align: number | null; zero: boolean }
  | { t: "free"; id: number; raw: boolean }
  /** `n` counts elements of the block's kind. */
  | { t: "resize"; id: number; n: number; via: ResizeVia }
  | { t: "realloc"; id: number; n: number }
  /** Frees every live block of allocator `id`, newest first (so bump allocators roll back). */
  | { t: "drain"; id: number }
  | { t: "bad"; kind: BadKind; block: number; on: number; variant: number };

/** The ids an op needs to exist (allocators) and to be live (blocks) before it can run. */
export function allocatorOf(op: Op): number | null {
  switch (op.t) {
    case "gpa": case "arena": case "fba": case "alloc": return op.on;
    case "deinit": case "reset": case "checkpoint": case "restore": case "fbaReset": case "limit": case "drain": return op.id;
    case "bad": return op.on;
    default: return null;
  }
}
