// A pool of long-lived child processes running trials. A child is replaced only when a trial
// outlives the time limit (killed: "hung") or the child dies ("crashed"); otherwise it runs
// trial after trial, so process start-up is paid a few times per batch, not per trial.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Damage } from "./damage";
import type { TrialResult } from "./trial";
import type { StackName } from "./stacks";

export interface PoolOptions {
  seed: number;
  workers: number;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

type Message =
  | { kind: "ready" }
  | { kind: "armed"; trial: number; damage: Damage; stack: StackName }
  | { kind: "op"; trial: number; op: string }
  | { kind: "result"; result: TrialResult }
  | { kind: "setup-error"; trial: number; message: string };

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const REGISTER = fileURLToPath(new URL("./register.mjs", import.meta.url));
const STDERR_TAIL = 2000;

interface Slot {
  child: ChildProcess;
  trial: number | null;
  damage: Damage | null;
  stack: StackName | null;
  op: string;
  ready: boolean;
  stderr: string;
  timer: NodeJS.Timeout | null;
}

/** Runs trials [0, count) (or the given list) and calls onResult for each, in completion order. */
export function runPool(options: PoolOptions, trials: number[], onResult: (r: TrialResult) => void): Promise<void> {
  const queue = [...trials];
  let pending = trials.length;
  return new Promise((done, fatal) => {
    if (pending === 0) return done();
    const finish = (slot: Slot, result: TrialResult): void => {
      if (slot.timer) clearTimeout(slot.timer);
      slot.trial = null;
      pending--;
      onResult(result);
      if (pending === 0) {
        for (const s of slots) s.child.kill("SIGKILL");
        done();
      }
    };
    const dispatch = (slot: Slot): void => {
      const trial = queue.shift();
      if (trial === undefined) return;
      Object.assign(slot, { trial, damage: null, stack: null, op: "setup" });
      slot.timer = setTimeout(() => fail(slot, "hung", `killed after ${options.timeoutMs} ms`), options.timeoutMs);
      slot.child.send({ seed: options.seed, trial, trace: true });
    };
    const fail = (slot: Slot, outcome: "hung" | "crashed", detail: string): void => {
      const trial = slot.trial;
      if (trial === null) return;
      const result: TrialResult = {
        trial, stack: slot.stack ?? "arena>arena", damage: slot.damage, op: slot.op, outcome,
        error: outcome === "hung" ? "killed at the time limit" : "child died", detail,
      };
      slot.child.removeAllListeners("exit");
      slot.child.kill("SIGKILL");
      start(slot);
      finish(slot, result);
    };
    const start = (slot: Slot): void => {
      const child = fork(CHILD, [], {
        execArgv: ["--expose-gc", "--import", "tsx", "--import", REGISTER],
        env: options.env,
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
      slot.child = child;
      slot.stderr = "";
      slot.ready = false;
      child.stderr?.on("data", (chunk: Buffer) => { slot.stderr = (slot.stderr + chunk.toString()).slice(-STDERR_TAIL); });
      child.on("message", (raw) => {
        const m = raw as Message;
        if (m.kind === "ready") { slot.ready = true; dispatch(slot); }
        else if (m.kind === "armed") Object.assign(slot, { damage: m.damage, stack: m.stack });
        else if (m.kind === "op") slot.op = m.op;
        else if (m.kind === "setup-error") fail(slot, "crashed", `setup threw: ${m.message}`);
        else { finish(slot, m.result); dispatch(slot); }
      });
      child.on("exit", (code, signal) => {
        // A child that dies before it is ready cannot run any trial: the harness itself is broken.
        if (!slot.ready) fatal(new Error(`a pool child failed to start (exit ${code ?? signal}):\n${slot.stderr}`));
        else fail(slot, "crashed", `exit ${code ?? signal}: ${slot.stderr}`);
      });
    };
    const slots: Slot[] = [];
    for (let i = 0; i < Math.min(options.workers, trials.length); i++) {
      const slot = { trial: null, damage: null, stack: null, op: "", ready: false, stderr: "", timer: null } as unknown as Slot;
      slots.push(slot);
      start(slot);
    }
  });
}
