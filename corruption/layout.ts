// Where the library keeps its metadata, as drawn at the top of assembly/records.ts, gpa/gpa.ts,
// gpa/slab.ts, gpa/directory.ts, gpa/quarantine.ts, arena.ts and page.ts. Only the bump region's
// offsets and the chunk header's size are exported by the core (bindings/abi.generated.ts); the rest is a copy of the
// drawings, used only to aim the damage. If a layout moves, trials still run: a word picked at
// a stale offset is still metadata or user data, only the region names in the table mislead.
import { ARENA_REGION, BUMP_SIZE, CHUNK_HEADER, FIXED_REGION, PAGE_SIZE } from "../bindings/abi.generated";

export const WORD = 4;
/** records.ts: RECORD_SIZE; the header is vtable, next, prev, generation. */
export const RECORD_SIZE = 256;
export const RECORD_BODY = 16;

/** arena.ts: the bump region, then backing and first (the newest chunk) in the record body. */
export const ARENA_FIRST = ARENA_REGION + BUMP_SIZE + WORD;
export const ARENA_RECORD_END = ARENA_FIRST + WORD;
/** arena.ts: a chunk starts with next, len, arena, seal. */
export { CHUNK_HEADER };

/** fixed.ts: the record body is the fixed buffer's region only. */
export const FIXED_RECORD_END = FIXED_REGION + BUMP_SIZE;

/** gpa/gpa.ts: backing, flags, limit, requested, spare, directory(3), quarantine(3), heads[43]. */
export const GPA_DIRECTORY = RECORD_BODY + 5 * WORD;
export const GPA_QUARANTINE = GPA_DIRECTORY + 3 * WORD;
export const GPA_CLASS_COUNT = 43;
export const GPA_RECORD_END = GPA_QUARANTINE + 3 * WORD + GPA_CLASS_COUNT * WORD;
/** gpa/directory.ts: entries of key, len, info. */
export const DIRECTORY_ENTRY = 12;

/** gpa/slab.ts: the header is the last 32 bytes of a 64 KiB slab. */
export const SLAB_HEADER = 32;
export const SLAB_HEADER_AT = PAGE_SIZE - SLAB_HEADER;
export const SLAB_CAPACITY = SLAB_HEADER_AT + 24;
export const SLAB_INFO = SLAB_HEADER_AT + 28;
export const SLAB_SIZE_FIELD = SLAB_HEADER_AT + 20;
/** gpa/slab.ts: info carries SAFE_SLAB when meta words sit below the header. */
export const SAFE_SLAB = 0x100;

/** page.ts: a free run's first page holds pages, next, prev; its last page's last word, head. */
export const RUN_FIRST_WORDS = 3;
