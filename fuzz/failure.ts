// A broken invariant, named by the check that found it: the shrinker keeps a smaller op list only
// if it still breaks the same check.

export class FuzzFailure extends Error {
  constructor(readonly check: string, detail: string) {
    super(`${check}: ${detail}`);
  }
}

export function ensure(condition: boolean, check: string, detail: () => string): asserts condition {
  if (!condition) throw new FuzzFailure(check, detail());
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Runs `call` and returns what it threw, which must be one of `expected`. */
export function expectThrow(check: string, call: () => unknown, ...expected: ErrorClass[]): Error {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    if (expected.some((cls) => error instanceof cls)) return error as Error;
    const got = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    throw new FuzzFailure(check, `expected ${expected.map((c) => c.name).join(" or ")}, got ${got}`);
  }
  throw new FuzzFailure(check, `expected ${expected.map((c) => c.name).join(" or ")}, but the call returned ${describe(result)}`);
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} at byte offset ${value.byteOffset} (${value.byteLength} bytes)`;
  return String(value);
}
