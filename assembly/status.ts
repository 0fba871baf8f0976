// Status codes the core reports to JavaScript (exported as globals: bindings/abi.generated.ts).
//
// Calls that return a status (free, resize) return one of these directly; calls that return an
// address return 0 and leave the reason in `lastStatus`, which JavaScript reads only after a 0.

export enum Status {
  OK = 0,
  OUT_OF_MEMORY = 1,
  /** The address was never handed out by this allocator, or not at its start. */
  INVALID_FREE = 2,
  /** The address was handed out and has already been freed. */
  DOUBLE_FREE = 3,
  /** The length given to free or resize is not the allocation's length. */
  LENGTH_MISMATCH = 4,
  /** The alignment given to free or resize is not the allocation's alignment. */
  ALIGN_MISMATCH = 5,
  /** validate() found allocator metadata that breaks an invariant. */
  CORRUPTION = 6,
  /** The allocator, or the backing allocator it needs, has been deinitialized. */
  DEINITIALIZED = 7,
}

let lastStatus: Status = Status.OK;
let lastAddress: usize = 0;

/** Records why a call failed, and the address it concerns; returns `status` for chaining. */
export function fail(status: Status, address: usize): Status {
  lastStatus = status;
  lastAddress = address;
  return status;
}

export function clearStatus(): void {
  lastStatus = Status.OK;
  lastAddress = 0;
}

export function getLastStatus(): Status {
  return lastStatus;
}

export function getLastAddress(): usize {
  return lastAddress;
}
