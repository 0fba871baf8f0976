// A pool child: runs the trials the parent sends, one at a time, and answers each with its
// result. Before the sequence it reports the damage, so that a trial that hangs (and is killed)
// is still reported with the word it broke; it reports every operation too, so a hang has a "where".
//
// After each trial the child collects garbage and lets finalizers run before answering: the
// library gives records back from FinalizationRegistry callbacks, and one that traps there on
// the trial's damaged metadata is an uncaught exception that would kill a user's process. Caught
// here, it is charged to the trial that caused it (operation "finalizer"), not to a later one.
import { runTrial, type TrialResult } from "./trial";
import { classify } from "./classify";

interface Request { seed: number; trial: number; trace: boolean }

const send = (message: unknown): void => { process.send!(message); };
const gc = (globalThis as { gc?: () => void }).gc;
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

let late: unknown[] = [];
process.on("uncaughtException", (e) => { late.push(e); });

/** The finalizers' errors become the trial's outcome when the sequence itself ended well. */
async function settle(result: TrialResult): Promise<TrialResult> {
  late = [];
  gc?.();
  await nextTask();
  await nextTask();
  if (late.length === 0 || result.outcome === "trapped" || result.outcome === "overlap") return result;
  return { ...result, op: "finalizer", ...classify(late[0]) };
}

process.on("message", (raw) => {
  const { seed, trial, trace } = raw as Request;
  const onOp = trace ? (op: string) => send({ kind: "op", trial, op }) : () => {};
  let result: TrialResult;
  try {
    result = runTrial(seed, trial, onOp, (damage, stack) => send({ kind: "armed", trial, damage, stack }));
  } catch (e) {
    // Setup threw: a harness fault, not a finding about the damage; reported as a crash.
    send({ kind: "setup-error", trial, message: e instanceof Error ? e.stack ?? e.message : String(e) });
    return;
  }
  void settle(result).then((settled) => send({ kind: "result", result: settled }));
});
send({ kind: "ready" });
