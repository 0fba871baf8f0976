// wasm-arena's GeneralPurposeAllocator, looked up at run time: benchmarks of a build that does not
// export it report the GPA figures as not available instead of failing to load.

import * as library from "wasm-arena";
import type { Allocator, Heap } from "wasm-arena";

/** The GPA as API.md specifies it. */
export interface Gpa {
  allocator(): Allocator;
  deinit(): "ok" | "leak";
  readonly totalRequestedBytes: number;
}

export interface GpaOptions {
  safety: boolean;
  heap: Heap;
}

type GpaConstructor = new (options: GpaOptions) => Gpa;

const exported = (library as Record<string, unknown>).GeneralPurposeAllocator as GpaConstructor | undefined;

/** Why the GPA cannot be measured, or undefined when it can. */
export const gpaUnavailable: string | undefined = typeof exported === "function" ? undefined
  : "this build of wasm-arena does not export GeneralPurposeAllocator";

/** A GPA on `heap`'s page allocator. */
export function createGpa(options: GpaOptions): Gpa {
  if (exported === undefined) throw new Error(gpaUnavailable);
  return new exported(options);
}
