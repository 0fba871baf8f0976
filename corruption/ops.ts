// The operations a trial runs, each through the raw byte API (no views: a broken word must not
// be masked by view bookkeeping) and each keeping the ledger exact, so that every block the
// library hands out is checked against every block the trial still holds.
import type { ResetMode } from "../src/index";
import type { User } from "./stacks";
import { enter, randomBlock, type World } from "./world";

const ALIGNS = [1, 1, 4, 8, 16, 64];

function lengthFor(w: World, user: User): number {
  const base = w.rng.pick(user.sizes);
  return user.kind === "page" ? base : Math.max(1, base + w.rng.below(9) - 4);
}

export function allocOne(w: World, user: User): void {
  enter(w, `alloc ${user.name}`);
  const len = lengthFor(w, user);
  const align = user.kind === "page" ? 65536 : w.rng.pick(ALIGNS);
  const ptr = user.allocator.rawAlloc(len, align);
  if (ptr !== 0) w.ledger.add(user.name, ptr, len, align);
}

export function freeOne(w: World, user: User): void {
  const block = randomBlock(w, user);
  if (!block) return;
  enter(w, `free ${user.name}`);
  user.allocator.rawFree(block.ptr, block.len, block.align);
  w.ledger.remove(block);
}

/** In place: a grown block is checked again, since growing over a neighbour is an overlap. */
export function resizeOne(w: World, user: User): void {
  const block = randomBlock(w, user);
  if (!block) return;
  enter(w, `resize ${user.name}`);
  const newLen = w.rng.chance(0.5) ? Math.max(1, block.len >> 1) : block.len * 2 + 8;
  if (user.allocator.rawResize(block.ptr, block.len, newLen, block.align)) {
    w.ledger.remove(block);
    w.ledger.add(user.name, block.ptr, newLen, block.align);
  }
}

export function remapOne(w: World, user: User): void {
  const block = randomBlock(w, user);
  if (!block) return;
  enter(w, `remap ${user.name}`);
  const newLen = block.len + 100 + w.rng.below(70000);
  const ptr = user.allocator.rawRemap(block.ptr, block.len, newLen, block.align);
  if (ptr !== 0) {
    w.ledger.remove(block);
    w.ledger.add(user.name, ptr, newLen, block.align);
  }
}

/** Resets a leaf; resetting the arena under the fixed buffer takes the buffer away too. */
export function resetOne(w: World, user: User, mode: ResetMode): void {
  const fba = w.stack.fba;
  if (user.kind === "fba" && fba) {
    enter(w, "reset fba");
    fba.fba.reset();
  } else {
    const arena = w.stack.arenas.find((a) => a.name === user.name);
    if (!arena) return;
    enter(w, `reset ${user.name} ${typeof mode === "string" ? mode : "retain_with_limit"}`);
    arena.arena.reset(mode);
    if (fba && fba.arena === user.name) {
      w.ledger.dropOwner(fba.name);
      w.users = w.users.filter((u) => u.name !== fba.name);
    }
  }
  w.ledger.dropOwner(user.name);
}

export function inspect(w: World): void {
  for (const { name, gpa } of w.stack.gpas) {
    enter(w, `leaks ${name}`);
    gpa.leaks();
  }
  for (const { name, arena } of w.stack.arenas) {
    enter(w, `queryCapacity ${name}`);
    arena.queryCapacity();
  }
}

export function validate(w: World): void {
  enter(w, "validate");
  w.stack.heap.validate();
}

/** Frees what would otherwise leak (GPA and page blocks), then ends every allocator. */
export function teardown(w: World): void {
  for (const user of w.users) {
    if (user.kind !== "gpa" && user.kind !== "page") continue;
    for (const block of w.ledger.blocksOf(user.name)) {
      enter(w, `free ${user.name}`);
      user.allocator.rawFree(block.ptr, block.len, block.align);
      w.ledger.remove(block);
    }
  }
  enter(w, "deinit");
  w.stack.deinit();
}
