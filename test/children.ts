// This process's child processes whose command line holds a given script name, from /proc
// (tests that stop or kill a worker or a compiler from outside).
import * as fs from "node:fs";

export function childPids(script: string): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && fs.readFileSync(`/proc/${name}/cmdline`, "utf8").includes(script)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
