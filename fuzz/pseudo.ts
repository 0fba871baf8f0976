// A recorded op list as the TypeScript a user would write: what a failure prints, so that the
// shrunk sequence can be read, and pasted into a test with little editing.

import type { Op } from "./ops";
import type { RunConfig } from "./world";
import { BAD_KINDS } from "./bad-kinds";

const a = (id: number): string => (id === 0 ? "heap.pageAllocator" : `a${id}`);

function line(op: Op): string {
  switch (op.t) {
    case "gpa": return `const g${op.id} = new GeneralPurposeAllocator({ backing: ${a(op.on)}, safety: ${op.safety}${op.limit === null ? "" : `, memoryLimit: ${op.limit}`} }); const a${op.id} = g${op.id}.allocator();`;
    case "arena": return `const r${op.id} = new ArenaAllocator(${a(op.on)}); const a${op.id} = r${op.id}.allocator();`;
    case "fba": return `const b${op.buf} = ${a(op.on)}.alloc("u8", ${op.bytes}); const f${op.id} = new FixedBufferAllocator(b${op.buf}); const a${op.id} = f${op.id}.allocator();`;
    case "deinit": return `deinit(${op.id}); // g${op.id}.deinit() / r${op.id}.deinit() / an FBA's buffer freed`;
    case "reset": return `r${op.id}.reset(${JSON.stringify(op.mode)});`;
    case "checkpoint": return `cps${op.id}.push(r${op.id}.checkpoint());`;
    case "restore": return `r${op.id}.restore(cps${op.id}.at(-1 - ${op.depth}));`;
    case "fbaReset": return `f${op.id}.reset();`;
    case "limit": return `g${op.id}.memoryLimit = ${op.limit ?? "Infinity"};`;
    case "drain": return `// free every live block of ${a(op.id)}, newest first`;
    case "alloc": {
      if (op.via === "raw") return `const p${op.id} = ${a(op.on)}.rawAlloc(${op.n}, ${op.align ?? 8}); // write pattern`;
      if (op.via === "create") return `let b${op.id} = ${a(op.on)}.create("${op.kind}");`;
      if (op.via === "dupe") return `let b${op.id} = ${a(op.on)}.dupe("${op.kind}", [/* ${op.n} values */]);`;
      const options = op.align !== null || op.zero ? `, { ${[op.align !== null ? `align: ${op.align}` : "", op.zero ? "zero: true" : ""].filter(Boolean).join(", ")} }` : "";
      return `let b${op.id} = ${a(op.on)}.alloc("${op.kind}", ${op.n}${options}); // write pattern`;
    }
    case "free": return op.raw ? `owner(b${op.id}).rawFree(ptr(b${op.id}), len(b${op.id}), align(b${op.id}));` : `owner(b${op.id}).free(b${op.id});`;
    case "resize": return op.via === "view" ? `b${op.id} = owner(b${op.id}).resize(b${op.id}, ${op.n}) ?? b${op.id};`
      : `owner(b${op.id}).${op.via === "raw" ? "rawResize" : "rawRemap"}(ptr(b${op.id}), len(b${op.id}), ${op.n} * elementSize, align(b${op.id}));`;
    case "realloc": return `b${op.id} = owner(b${op.id}).realloc(b${op.id}, ${op.n});`;
    case "bad": return `badCall("${op.kind}", { block: b${op.block}, allocator: ${a(op.on)}, variant: ${op.variant} }); // ${BAD_KINDS[op.kind].what}`;
  }
}

export function pseudoCode(config: RunConfig, ops: readonly Op[]): string {
  const head = `const heap = Heap.create({ viewStrategy: "${config.strategy}"${config.maximumBytes === null ? "" : `, maximumBytes: ${config.maximumBytes}`} });`;
  return [head, ...ops.map(line)].join("\n");
}
