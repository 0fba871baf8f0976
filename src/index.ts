export { Heap, defaultHeap } from "./heap";
export type { HeapOptions, HeapStats, ViewStrategy, GrowListener, Allocator, AllocOptions } from "./heap";
export type { ElementKind, KindName, View, ViewOf, ViewTypes, ElementOf, TypedArrayConstructor } from "./kinds";
export { ArenaAllocator } from "./arena";
export type { ResetMode, ArenaOptions } from "./arena";
export type { ArenaCheckpoint } from "./arena-checkpoint";
export { FixedBufferAllocator } from "./fixed-buffer";
export type { FixedBufferOptions } from "./fixed-buffer";
export { MemoryPool } from "./memory-pool";
export { GeneralPurposeAllocator, DebugAllocator } from "./gpa";
export type { GeneralPurposeAllocatorOptions, GeneralPurposeAllocatorStats, SizeClassStats, LeakReport } from "./gpa";
export { withArena } from "./with-arena";
export {
  WasmArenaError, OutOfMemoryError, InvalidFreeError, DoubleFreeError, DetachedViewError,
  AllocatorDeinitializedError, HeapCorruptionError,
} from "./errors";
export { StackFallbackAllocator, stackFallback } from "./stack-fallback";
export { defineAllocator } from "./define-allocator";
export type { AllocatorCallbacks } from "./define-allocator";
export { FailingAllocator } from "./testing/failing-allocator";
export type { FailingAllocatorConfig } from "./testing/failing-allocator";
export { checkAllocationFailures, AllocationFailureCheckError } from "./testing/check-allocation-failures";
export type { AllocationFailureCheckCode, AllocationCounts } from "./testing/check-allocation-failures";
