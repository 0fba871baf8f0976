// Zig's FixedBufferAllocator as plain arithmetic: the model predicts each FBA's end_index and the
// exact offset of each allocation. Each function answers without changing the node; the caller
// commits the answer once the real call agreed.

import type { AllocNode } from "./world";

const alignUp = (x: number, align: number): number => Math.ceil(x / align) * align;

/** Where alloc(bytes, align) lands and the end it leaves, or null when the buffer is too full. */
export function fbaAlloc(node: AllocNode, bytes: number, align: number): { ptr: number; end: number } | null {
  const buf = node.buf!;
  if (bytes === 0) return { ptr: align, end: node.fbaEnd };
  const aligned = alignUp(buf.ptr + node.fbaEnd, align);
  const end = aligned - buf.ptr + bytes;
  return end > buf.bytes ? null : { ptr: aligned, end };
}

const isLast = (node: AllocNode, ptr: number, bytes: number): boolean =>
  ptr >= node.buf!.ptr && ptr + bytes === node.buf!.ptr + node.fbaEnd;

/** The end after free: only the last allocation rolls the bump pointer back. */
export function fbaFree(node: AllocNode, ptr: number, bytes: number): number {
  return bytes !== 0 && isLast(node, ptr, bytes) ? node.fbaEnd - bytes : node.fbaEnd;
}

/** The end after an in-place resize, or null when it cannot be done in place. */
export function fbaResize(node: AllocNode, ptr: number, bytes: number, newBytes: number): number | null {
  if (bytes === 0) return newBytes === 0 ? node.fbaEnd : null;
  if (newBytes === 0) return fbaFree(node, ptr, bytes);
  if (!isLast(node, ptr, bytes)) return newBytes <= bytes ? node.fbaEnd : null;
  const end = node.fbaEnd - bytes + newBytes;
  return end <= node.buf!.bytes ? end : null;
}

/** realloc: in place if it can, else a new allocation (the old one is then not the last one). */
export function fbaRealloc(node: AllocNode, ptr: number, bytes: number, newBytes: number, align: number): { ptr: number; end: number } | null {
  if (bytes !== 0) {
    const end = fbaResize(node, ptr, bytes, newBytes);
    if (end !== null) return { ptr, end };
  }
  return fbaAlloc(node, newBytes, align);
}

/** Whether the model knows this FBA's end exactly: an arena on it takes chunks the model does not see. */
export function fbaExact(node: AllocNode): boolean {
  if (node.fba === null) return false;
  for (const child of node.children) if (child.arena !== null) return false;
  return true;
}
