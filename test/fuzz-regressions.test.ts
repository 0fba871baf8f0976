// The model-based fuzzer (fuzz/) as regression tests: short fixed-seed runs of every view strategy
// this platform has, on a roomy and on a small heap, and of each bad-call kind that once was a
// known defect and holds now. A failure names the broken invariant; `npm run fuzz -- --seed S`
// with the same seed reproduces it, shrunk.

import { describe, expect, it } from "vitest";
import { runSeed } from "../fuzz/run";
import { availableStrategies } from "../fuzz/config";
import { enabledBadKinds, type BadKind } from "../fuzz/bad-kinds";
import type { RunConfig } from "../fuzz/world";

const MiB = 1 << 20;

/** "ok", or the step and the broken invariant; `attempted` counts the bad calls of `kind` made. */
function run(config: RunConfig, ops: number, badKinds: readonly BadKind[], badRate = 0.04, attempted = { count: 0 }) {
  const result = runSeed(config, { ops, every: 16, gen: { badKinds, badRate, liveBudget: 16 * MiB } });
  for (const kind of badKinds) attempted.count += result.counts.get(`bad:${kind}`) ?? 0;
  return result.failure === null ? "ok" : `step ${result.failure.step}: ${result.failure.message}`;
}

describe("fuzz: model invariants", () => {
  for (const strategy of availableStrategies()) {
    for (const maximumBytes of [null, 4 * MiB]) {
      it(`invariant: under "${strategy}"${maximumBytes === null ? "" : " on a 4 MiB heap"}, random ops over every allocator stack match the model, and teardown returns every page`, () => {
        for (const seed of [11, 12]) {
          expect(run({ seed, strategy, maximumBytes }, 3000, enabledBadKinds(false, null)), `seed ${seed}`).toBe("ok");
        }
      });
    }
  }
});

// Kinds API.md promised and today's code once broke; each runs alone, often, on fixed seeds.
const FIXED: BadKind[] = ["view-dataview", "view-plain-object", "page-free-foreign", "unsafe-free-zero", "ongrow-sync", "double-free-reused"];

describe("fuzz: bad calls that were defects", () => {
  for (const kind of FIXED) {
    it(`invariant: bad call ${kind} gets its typed error and changes nothing`, () => {
      const attempted = { count: 0 };
      for (const strategy of availableStrategies()) {
        for (const seed of [21, 22, 23]) expect(run({ seed, strategy, maximumBytes: null }, 2500, [kind], 0.1, attempted), `${strategy} seed ${seed}`).toBe("ok");
      }
      expect(attempted.count, "bad calls made").toBeGreaterThan(5);
    });
  }
});
