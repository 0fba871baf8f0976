// The core's exports as the library calls them: a trap inside WebAssembly (an out-of-bounds
// access, an indirect call through a damaged table index, a division by a damaged size) can only
// come from damaged metadata, since the core range-checks every argument it is given. It
// surfaces as HeapCorruptionError naming the damaged word when validate() can find it, else the
// allocator record the call was about, with the trap as its cause.
//
// Cost: the guard is a closure around each export, about 0.6 ns a call (an arena's rawAlloc, 6.5
// to 7.1 ns on Node 20). Its object keeps the exports object as prototype and fast properties;
// a plain object with the same functions, built property by property, costs 3 ns a call.

import { HeapCorruptionError } from "./errors";
import { Status } from "../bindings/abi.generated";
import type { CoreExports } from "../bindings/exports";
import { isCallbackError } from "../bindings/callback-errors";

type Export = (...args: number[]) => number;

/** `core` with every function export guarded; its constants are read from the prototype. */
export function guardCore(core: CoreExports): CoreExports {
  const guarded: PropertyDescriptorMap = {};
  for (const [name, value] of Object.entries(core)) {
    if (typeof value === "function") guarded[name] = { value: guard(core, name, value as Export) };
  }
  return Object.create(core, guarded) as CoreExports;
}

/**
 * One export, guarded; each arity gets its own closure with fixed parameters. Each is named
 * guardedCoreCall, so that stack traces (gpa-stacks.ts) can leave its frame out.
 */
function guard(core: CoreExports, name: string, call: Export): Export {
  const trapped = (error: unknown, subject: number) => corruptionFrom(core, name, error, subject);
  switch (call.length) {
    case 0: return function guardedCoreCall() { try { return call(); } catch (e) { throw trapped(e, 0); } };
    case 1: return function guardedCoreCall(a) { try { return call(a); } catch (e) { throw trapped(e, a); } };
    case 2: return function guardedCoreCall(a, b) { try { return call(a, b); } catch (e) { throw trapped(e, a); } };
    case 3: return function guardedCoreCall(a, b, c) { try { return call(a, b, c); } catch (e) { throw trapped(e, a); } };
    case 4: return function guardedCoreCall(a, b, c, d) { try { return call(a, b, c, d); } catch (e) { throw trapped(e, a); } };
    default: return function guardedCoreCall(...args) { try { return call(...args); } catch (e) { throw trapped(e, args[0] ?? 0); } };
  }
}

/**
 * What a trap in `name` means: HeapCorruptionError at the first word validate() objects to, or at
 * `subject` (the call's first argument: the allocator record for every allocator call) when the
 * walk finds nothing or traps too. Anything but a trap of the core (a listener's error, an
 * assertion of the debug build, anything a defineAllocator() callback threw, a RuntimeError
 * included) passes through.
 */
function corruptionFrom(core: CoreExports, name: string, error: unknown, subject: number): unknown {
  if (!(error instanceof WebAssembly.RuntimeError) || isCallbackError(error)) return error;
  let address = subject >>> 0;
  try {
    if (name !== "validate" && core.validate() === Status.CORRUPTION) address = core.lastAddress() >>> 0;
  } catch {
    // The walk ran into the same damage: the subject is the best address there is.
  }
  return new HeapCorruptionError(address, `the core trapped in ${name}() (${error.message})`, error);
}
