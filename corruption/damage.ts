// Breaking one word: which (a region first, uniformly, so rare regions get their share; then a
// word, nonzero ones preferred since they are the links and counts), and with what value.
import type { Rng } from "./rng";
import type { Region, Targets } from "./targets";
import type { World } from "./world";
import { WORD } from "./layout";

export interface Damage {
  region: Region;
  addr: number;
  old: number;
  value: number;
  /** How the value was made, e.g. "zero", "+8", "self". */
  how: string;
}

const DELTAS = [1, -1, 4, -4, 8, -8, 16, -16, 64, -64, 65536, -65536];

function pickWord(rng: Rng, u32: Uint32Array, list: readonly number[]): number {
  if (rng.chance(0.75)) {
    const nonzero = list.filter((a) => u32[a / WORD] !== 0);
    if (nonzero.length > 0) return rng.pick(nonzero);
  }
  return rng.pick(list);
}

function newValue(w: World, targets: Targets, addr: number, old: number): { value: number; how: string } {
  const rng = w.rng;
  switch (rng.below(7)) {
    case 0: return { value: 0, how: "zero" };
    case 1: return { value: 0xffffffff, how: "ones" };
    case 2: {
      const d = rng.pick(DELTAS);
      return { value: (old + d) >>> 0, how: d > 0 ? `+${d}` : `${d}` };
    }
    case 3: return { value: addr, how: "self" };
    case 4: {
      const all = [...targets.values()];
      return { value: rng.pick(rng.pick(all)), how: "other-meta" };
    }
    case 5: {
      const blocks = w.ledger.all();
      if (blocks.length === 0) return { value: rng.u32(), how: "random" };
      const b = rng.pick(blocks);
      return { value: b.ptr + rng.below(Math.min(b.len, 256)), how: "into-block" };
    }
    default: return { value: rng.u32(), how: "random" };
  }
}

/** Picks and writes the damage; the old value goes into the report so the trial can be replayed. */
export function breakOneWord(w: World, targets: Targets): Damage {
  const u32 = w.stack.heap.u32;
  const region = w.rng.pick([...targets.keys()]);
  const addr = pickWord(w.rng, u32, targets.get(region)!);
  const old = u32[addr / WORD];
  let { value, how } = newValue(w, targets, addr, old);
  if (value === old) ({ value, how } = { value: (old ^ 1) >>> 0, how: "flip-bit0" });
  u32[addr / WORD] = value;
  return { region, addr, old, value, how };
}
