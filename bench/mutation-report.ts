// docs/mutation.md from StrykerJS's JSON report (npm run mutation): the mutation
// score of each module of the judging core, and every mutant that survived with
// either the reason it is equivalent (bench/mutation-equivalent.ts) or "not
// explained". Exits 1 when the score is under MIN_SCORE or a survivor is not
// explained: a survivor is a bug the tests cannot see until someone says why not.
// Run: node dist/bench/mutation-report.js [reports/mutation/mutation.json ...] [--out docs/mutation.md]
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../grader/engine/paths";
import { EQUIVALENT, type Equivalent } from "./mutation-equivalent";

/** The issue's bar: at least 80% of the mutants of these modules detected. */
export const MIN_SCORE = 80;

interface Position {
  line: number;
  column: number;
}
interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  status: "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";
}
interface FileResult {
  source: string;
  mutants: Mutant[];
}
export interface MutationReport {
  files: Record<string, FileResult>;
}

export interface Survivor {
  file: string;
  line: number;
  mutator: string;
  original: string;
  replacement: string;
  status: Mutant["status"];
  why?: string;
}

export interface ModuleScore {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Compile and runtime errors of the mutated code, and ignored mutants: not counted. */
  other: number;
  score: number;
}

/** The source text a mutant replaced (the report's lines and columns count from 1). */
function originalText(source: string, m: Mutant): string {
  const lines = source.split("\n");
  const { start, end } = m.location;
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join("\n");
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/** Equivalence is claimed for a mutation of some code, wherever that code has moved to. */
function explanation(file: string, mutator: string, original: string, replacement: string, known: readonly Equivalent[]): string | undefined {
  const base = path.basename(file);
  return known.find((e) => e.file === base && e.mutator === mutator && squash(e.original) === squash(original) && squash(e.replacement) === squash(replacement))?.why;
}

/** Stryker's score: detected (killed or timed out) over detected, survived and not covered. */
export function summarize(report: MutationReport, known: readonly Equivalent[] = EQUIVALENT): { modules: ModuleScore[]; total: ModuleScore; survivors: Survivor[] } {
  const modules: ModuleScore[] = [];
  const survivors: Survivor[] = [];
  for (const [file, r] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const count = (s: Mutant["status"]) => r.mutants.filter((m) => m.status === s).length;
    const row = { file, killed: count("Killed"), timeout: count("Timeout"), survived: count("Survived"), noCoverage: count("NoCoverage"), other: 0, score: 0 };
    row.other = r.mutants.length - row.killed - row.timeout - row.survived - row.noCoverage;
    row.score = score(row);
    modules.push(row);
    for (const m of r.mutants) {
      if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
      const original = originalText(r.source, m);
      const replacement = m.replacement ?? "";
      survivors.push({ file, line: m.location.start.line, mutator: m.mutatorName, original, replacement, status: m.status, why: explanation(file, m.mutatorName, original, replacement, known) });
    }
  }
  const sum = (k: "killed" | "timeout" | "survived" | "noCoverage" | "other") => modules.reduce((s, m) => s + m[k], 0);
  const total = { file: "all", killed: sum("killed"), timeout: sum("timeout"), survived: sum("survived"), noCoverage: sum("noCoverage"), other: sum("other"), score: 0 };
  total.score = score(total);
  return { modules, total, survivors };
}

function score(r: Omit<ModuleScore, "score" | "file" | "other">): number {
  const detected = r.killed + r.timeout;
  const valid = detected + r.survived + r.noCoverage;
  return valid === 0 ? 100 : (100 * detected) / valid;
}

/** Several reports (one per module, say) as one: a later report's file replaces an earlier one's. */
export function merged(reports: MutationReport[]): MutationReport {
  return { files: Object.assign({}, ...reports.map((r) => r.files)) };
}

const code = (s: string) => {
  const one = squash(s);
  const cut = one.length > 90 ? `${one.slice(0, 87)}...` : one;
  return "`` " + cut.replace(/\|/g, "\\|") + " ``";
};

/** The modules stryker.config.mjs mutates (its `mutate` list), to name those a report has no results for. */
export function configuredModules(configText: string): string[] {
  const list = /mutate:\s*\[([^\]]*)\]/.exec(configText);
  return list ? [...list[1].matchAll(/["']([^"']+\.ts)["']/g)].map((m) => m[1]) : [];
}

export function markdown(summary: ReturnType<typeof summarize>, sources: string[], configured: string[] = []): string {
  const { modules, total, survivors } = summary;
  const missing = configured.filter((f) => !modules.some((m) => m.file === f));
  const pct = (n: number) => `${n.toFixed(1)}%`;
  // Timeouts as survivors: a lower bound, for a run on a loaded machine where a timeout may be the machine's.
  const floor = (m: ModuleScore) => score({ killed: m.killed, timeout: 0, survived: m.survived + m.timeout, noCoverage: m.noCoverage });
  const row = (m: ModuleScore) => `| ${m.file} | ${m.killed} | ${m.timeout} | ${m.survived} | ${m.noCoverage} | ${m.other} | ${pct(m.score)} | ${pct(floor(m))} |`;
  const unexplained = survivors.filter((s) => !s.why);
  const out = [
    "# Mutation testing of the judging core",
    "",
    `Generated by \`npm run mutation\` (StrykerJS, see the README) from ${sources.map((s) => `\`${s}\``).join(", ")}: do not edit by hand. Reasons for equivalent mutants live in \`bench/mutation-equivalent.ts\`.`,
    "",
    `Score = (killed + timed out) / (killed + timed out + survived + not covered), Stryker's. Compile errors, runtime errors and ignored mutants are not counted ("other"). Bar: ${MIN_SCORE}%. "Killed only" counts every timeout as a survivor: the floor, for a run on a loaded machine, where a test run may exceed its time limit without any endless loop.`,
    "",
    "| module | killed | timed out | survived | not covered | other | score | killed only |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...modules.map(row),
    row({ ...total, file: "**all**" }),
    "",
    ...(missing.length > 0 ? [`**Not in this report** (configured, not measured in the runs it was made from): ${missing.join(", ")}.`, ""] : []),
    `## Surviving mutants (${survivors.length}; ${survivors.length - unexplained.length} explained as equivalent, ${unexplained.length} not explained)`,
    "",
  ];
  if (survivors.length === 0) out.push("None.");
  else {
    out.push("| where | mutator | original | mutated to | why it survives |", "|---|---|---|---|---|");
    for (const s of survivors) out.push(`| ${s.file}:${s.line} | ${s.mutator}${s.status === "NoCoverage" ? " (not covered)" : ""} | ${code(s.original)} | ${code(s.replacement)} | ${s.why ? s.why.replace(/\|/g, "\\|") : "**not explained**"} |`);
  }
  return out.join("\n") + "\n";
}

function main(argv: string[]): number {
  const outAt = argv.indexOf("--out");
  const out = outAt >= 0 ? argv[outAt + 1] : path.join(repoRoot, "docs", "mutation.md");
  const inputs = argv.filter((a, i) => a !== "--out" && !(outAt >= 0 && i === outAt + 1));
  const files = inputs.length > 0 ? inputs : [path.join(repoRoot, "reports", "mutation", "mutation.json")];
  const reports = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as MutationReport);
  const summary = summarize(merged(reports));
  const configured = configuredModules(fs.readFileSync(path.join(repoRoot, "stryker.config.mjs"), "utf8"));
  fs.writeFileSync(out, markdown(summary, files.map((f) => path.relative(repoRoot, path.resolve(f))), configured));
  const unexplained = summary.survivors.filter((s) => !s.why);
  const missing = configured.filter((f) => !summary.modules.some((m) => m.file === f));
  if (missing.length > 0) console.log(`not measured: ${missing.join(", ")}`);
  console.log(`mutation score ${summary.total.score.toFixed(1)}% (bar ${MIN_SCORE}%), ${summary.survivors.length} surviving, ${unexplained.length} not explained: ${path.relative(process.cwd(), out)}`);
  for (const m of summary.modules) console.log(`  ${m.file}: ${m.score.toFixed(1)}%`);
  return summary.total.score >= MIN_SCORE && unexplained.length === 0 && missing.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
