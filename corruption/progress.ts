// One progress line, rewritten in place on a terminal; on a pipe (CI logs) a line per 10%.
import type { Tally } from "./report";

export function progress(label: string, total: number, started: number): (t: Tally) => void {
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  let lastTenth = -1;
  return (t) => {
    const done = t.results.length;
    const now = Date.now();
    const tenth = Math.floor((done * 10) / total);
    if (tty ? now - lastDraw < 200 && done < total : tenth === lastTenth) return;
    lastDraw = now;
    lastTenth = tenth;
    const rate = (done / Math.max(0.001, (now - started) / 1000)).toFixed(1);
    const f = (o: Parameters<typeof t.byOutcome.get>[0]) => t.byOutcome.get(o);
    const line = `${label} ${done}/${total}  ${rate} trials/s  hung ${f("hung")}  trapped ${f("trapped")}  `
      + `overlap ${f("overlap")}  crashed ${f("crashed")}`;
    process.stderr.write(tty ? `\r${line}\x1b[K${done === total ? "\n" : ""}` : `${line}\n`);
  };
}
