// What a trial ended with. Acceptable: it completed, or the library refused with one of its typed
// errors, or the debug build's assertion fired. Failures: a bare trap or any other error escaping,
// overlapping memory handed out, a hang, or a child that died.
import { WasmArenaError } from "../src/index";
import { Overlap } from "./ledger";

export const OUTCOMES = ["completed", "typed-error", "assertion", "trapped", "overlap", "hung", "crashed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const FAILURES: ReadonlySet<Outcome> = new Set<Outcome>(["trapped", "overlap", "hung", "crashed"]);

export interface Classified {
  outcome: Outcome;
  /** The error's class and first line, numbers masked so that signatures group. */
  error: string;
  detail: string;
}

const ASSERTION = "wasm-arena core assertion failed";

/** Masks the numbers in a message (offsets, lengths) so that one cause gives one signature. */
export const masked = (text: string): string => text.replace(/\d+/g, "N");

export function classify(error: unknown): Classified {
  if (error === undefined) return { outcome: "completed", error: "", detail: "" };
  if (error instanceof Overlap) return { outcome: "overlap", error: "Overlap", detail: error.message };
  const e = error instanceof Error ? error : new Error(String(error));
  const firstLine = (e.message.split("\n")[0] ?? "").slice(0, 160);
  if (e instanceof WasmArenaError) return { outcome: "typed-error", error: e.name, detail: firstLine };
  if (e.message.startsWith(ASSERTION)) return { outcome: "assertion", error: masked(firstLine), detail: firstLine };
  const name = e instanceof WebAssembly.RuntimeError ? "RuntimeError" : e.constructor?.name ?? "Error";
  return { outcome: "trapped", error: `${name}: ${masked(firstLine)}`, detail: `${firstLine}\n${e.stack ?? ""}` };
}
