/** Status codes of the core; the mirror of assembly/status.ts. */
export const enum Status {
  OK = 0,
  OUT_OF_MEMORY = 1,
  INVALID_FREE = 2,
  DOUBLE_FREE = 3,
  LENGTH_MISMATCH = 4,
  ALIGN_MISMATCH = 5,
  CORRUPTION = 6,
}
