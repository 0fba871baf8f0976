// Errors that a TypeScript callback (a defineAllocator() allocator's) threw through the core. The
// core's guard (src/core-guard.ts) turns a WebAssembly.RuntimeError into a HeapCorruptionError,
// since inside the core a trap can only mean damaged metadata; one thrown by a callback is the
// callback's own and must reach the caller as it is. The imports note such errors here.

const thrown = new WeakSet<object>();

/** `call()`, noting whatever it throws as the callback's. */
export function fromCallback<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if ((typeof error === "object" || typeof error === "function") && error !== null) thrown.add(error);
    throw error;
  }
}

/** Whether `error` was thrown by a callback (fromCallback), not raised by the core. */
export function isCallbackError(error: unknown): boolean {
  return (typeof error === "object" || typeof error === "function") && error !== null && thrown.has(error);
}
