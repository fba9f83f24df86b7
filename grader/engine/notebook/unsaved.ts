// What a notebook's kernel ran that the saved file does not hold yet. check()
// judges an exercise cell as last run, npm run grade the file as saved: until
// the learner saves (Notebook 6 autosaves every 2 minutes), a ✔ in the
// notebook is "not started" on the scorecard. check() notes here each cell it
// judged that differs from the saved one, and the scorecard asks, so both can
// say "save it" instead of disagreeing in silence. Kept in the grader's cache
// folder: a hint for this machine's learner, never part of a grade.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../paths";

interface Entry {
  /** sha-256 of the source the kernel ran. */
  ran: string;
  /** When check() judged it (ms since the epoch). */
  at: number;
}

type Record_ = Record<string, Entry>;

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const keyOf = (notebook: string, id: string): string => `${path.resolve(notebook)}\0${id}`;
/** At most this many cells are remembered: the oldest go first. */
const KEEP = 200;

function read(file: string): Record_ {
  try {
    const json: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record_) : {};
  } catch {
    return {};
  }
}

/**
 * check() judged `ran` for exercise `id` of `notebook`, whose saved cell is `saved`:
 * remember the difference (or forget it once saved). Never fails: it is only a hint.
 */
export function noteRun(notebook: string, id: string, ran: string, saved: string | undefined, file = path.join(cacheDir, "ran-unsaved.json")): void {
  try {
    const all = read(file);
    const key = keyOf(notebook, id);
    if (ran === saved) {
      if (!(key in all)) return;
      delete all[key];
    } else {
      delete all[key];
      all[key] = { ran: sha256(ran), at: Date.now() };
    }
    const kept = Object.fromEntries(Object.entries(all).slice(-KEEP));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(kept));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only install: no hint, nothing else lost.
  }
}

/**
 * Of `results` (notebook and exercise), those whose cell a kernel ran, differing from
 * the file as saved, after the file was last written: unsaved work, as far as we know.
 */
export function unsavedCells(results: readonly { notebook: string; id: string }[], file = path.join(cacheDir, "ran-unsaved.json")): Set<string> {
  const all = read(file);
  const out = new Set<string>();
  for (const r of results) {
    const entry = all[keyOf(r.notebook, r.id)];
    if (!entry) continue;
    try {
      if (entry.at >= fs.statSync(r.notebook).mtimeMs) out.add(unsavedKey(r.notebook, r.id));
    } catch {
      // The notebook is gone: nothing to say about it.
    }
  }
  return out;
}

/** How unsavedCells names a cell. */
export function unsavedKey(notebook: string, id: string): string {
  return keyOf(notebook, id);
}
