// `npm run classroom -- --template OWNER/REPO --commit SHA --out FILE` (or
// `npm run -s classroom -- --template OWNER/REPO --commit SHA > FILE`): a GitHub
// Classroom autograding workflow with one classroom-resources/autograding-command-grader
// step per exercise, worth that exercise's points, generated from the course
// registry so it cannot drift from it. Classroom only counts points its own
// actions report; save it as .github/workflows/classroom-autograding.yml in the
// assignment's template repository (the learner edition: npm run build:learner).
// Without -s, npm prints its own banner ("> backprop-lab-course@… classroom")
// on stdout before the workflow, so a redirected `npm run classroom > FILE`
// would not be YAML: that case is refused with the two ways that work.
//
// The workflow never runs code from files the learner controls other than their
// notebooks, which only the grader reads: the learner's repository is checked
// out into submission/ and nothing there is installed or run (no package.json,
// no npm script, no lockfile-keyed cache); the grader is the template repository
// at a pinned commit, checked out into a fresh grader/ folder and installed
// there; the notebooks are copied (regular files only) into work/notebooks and
// graded from there. What this cannot prevent: the learner can edit this
// workflow itself in their repository. See the README (Grading a class).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { course } from "../exercises";
import type { ExerciseSpec } from "./engine/course/spec";

export interface ClassroomOptions {
  /** The assignment's template repository, OWNER/NAME: where the grader is fetched from. */
  template: string;
  /** The template's commit to grade with: a full 40-character SHA, so a later push to the template changes nothing. */
  commit: string;
}

export interface WorkflowStep {
  name: string;
  id?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  /** A shell script, run from the workspace root (or `workingDirectory`). */
  run?: string;
  workingDirectory?: string;
  env?: Record<string, string>;
}

const REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const SHA = /^[0-9a-f]{40}$/;

/** The copy of the learner's notebooks: regular files only (no links), from notebooks/ or the repository's top. */
export const TAKE_NOTEBOOKS = [
  "mkdir -p work/notebooks",
  "from=submission/notebooks",
  '[ -d "$from" ] && [ ! -L "$from" ] || from=submission',
  "find \"$from\" -maxdepth 1 -type f -name '*.ipynb' -exec cp -- {} work/notebooks/ \\;",
  "ls work/notebooks",
].join("\n");

/** The steps, in order: what the YAML says, as data (the tests run the shell steps). */
export function classroomSteps(opts: ClassroomOptions, specs: ExerciseSpec[] = course.specs): WorkflowStep[] {
  if (!REPO.test(opts.template)) throw new Error(`--template must be OWNER/REPO (the assignment's template repository), got ${JSON.stringify(opts.template)}`);
  if (!SHA.test(opts.commit)) throw new Error(`--commit must be a full 40-character commit SHA of the template, got ${JSON.stringify(opts.commit)}`);
  // Exercise ids are lowercase letters, digits and dashes: valid step ids and env names as they are.
  for (const s of specs) if (!/^[a-z][a-z0-9-]*$/.test(s.id)) throw new Error(`exercise id ${JSON.stringify(s.id)} cannot be a workflow step id`);
  return [
    { name: "Check out the submission (its notebooks are read, nothing in it is run)", uses: "actions/checkout@v4", with: { path: "submission", "persist-credentials": false } },
    { name: "Check out the grader: the template repository at a pinned commit", uses: "actions/checkout@v4", with: { repository: opts.template, ref: opts.commit, path: "grader", "persist-credentials": false } },
    { name: "Set up Node.js", uses: "actions/setup-node@v4", with: { "node-version": 20 } },
    { name: "Install the grader", workingDirectory: "grader", run: "npm ci --no-audit --no-fund" },
    { name: "Take the notebooks", run: TAKE_NOTEBOOKS },
    ...specs.map(
      (s): WorkflowStep => ({
        name: s.id,
        id: s.id,
        uses: "classroom-resources/autograding-command-grader@v1",
        with: { "test-name": s.id, command: `node grader/dist/grader/cli.js work/notebooks ${s.id} --require-isolation --no-color`, timeout: 2, "max-score": s.points },
      }),
    ),
    {
      name: "Autograding Reporter",
      uses: "classroom-resources/autograding-grading-reporter@v1",
      env: Object.fromEntries(specs.map((s) => [`${s.id.toUpperCase()}_RESULTS`, `\${{ steps.${s.id}.outputs.result }}`])),
      with: { runners: specs.map((s) => s.id).join(",") },
    },
  ];
}

function yamlValue(v: string | number | boolean): string {
  // Plain scalars where YAML reads them as the same text (ids, paths, lists with commas: they start
  // with a letter and are no YAML keyword); quoted otherwise (a commit SHA of digits would be a number).
  const plain = /^[A-Za-z][\w./@ ,-]*$/.test(String(v)) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(String(v));
  return typeof v === "string" && !plain ? JSON.stringify(v) : String(v);
}

function stepYaml(s: WorkflowStep): string[] {
  const out = [`      - name: ${yamlValue(s.name)}`];
  if (s.id) out.push(`        id: ${s.id}`);
  if (s.uses) out.push(`        uses: ${s.uses}`);
  if (s.workingDirectory) out.push(`        working-directory: ${s.workingDirectory}`);
  if (s.env) out.push(`        env:`, ...Object.entries(s.env).map(([k, v]) => `          ${k}: ${JSON.stringify(v)}`));
  if (s.with) out.push(`        with:`, ...Object.entries(s.with).map(([k, v]) => `          ${k}: ${yamlValue(v)}`));
  if (s.run) out.push(`        run: |`, ...s.run.split("\n").map((l) => `          ${l}`));
  return out;
}

export function classroomWorkflow(opts: ClassroomOptions, specs: ExerciseSpec[] = course.specs): string {
  return [
    `# Generated by \`npm run classroom -- --template ${opts.template} --commit ${opts.commit} --out FILE\` from exercises/index.ts: regenerate, don't edit.`,
    `# It grades with the grader of ${opts.template} at ${opts.commit}, never with code from the learner's repository;`,
    `# only the notebooks are taken from it. The learner can still edit this file in their repository: a grade`,
    `# computed there is feedback, not proof (README: Grading a class).`,
    `name: Autograding Tests`,
    `on: [push, workflow_dispatch, repository_dispatch]`,
    `permissions:`,
    `  checks: write`,
    `  actions: read`,
    `  contents: read`,
    `jobs:`,
    `  run-autograding-tests:`,
    `    runs-on: ubuntu-latest`,
    `    if: github.actor != 'github-classroom[bot]'`,
    `    steps:`,
    ...classroomSteps(opts, specs).flatMap(stepYaml),
    ``,
  ].join("\n");
}

const USAGE = `Usage: npm run classroom -- --template OWNER/REPO --commit SHA --out FILE   (e.g. --out .github/workflows/classroom-autograding.yml)
   or: npm run -s classroom -- --template OWNER/REPO --commit SHA > FILE   (-s: without it npm prints its own lines before the workflow)
OWNER/REPO is the assignment's template repository (the learner edition, from npm run build:learner);
SHA the commit of it to grade with (git rev-parse HEAD there): the workflow fetches the grader from
there, never from the learner's repository.`;

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env, stdoutIsTty = Boolean(process.stdout.isTTY)): number {
  let flags: { out?: string; template?: string; commit?: string; help?: boolean };
  try {
    flags = parseArgs({ args: argv, options: { out: { type: "string" }, template: { type: "string" }, commit: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
  } catch (e) {
    const wrong = /'(-?-?[^' ]+)/.exec((e as Error).message)?.[1] ?? argv.join(" ");
    const missing = (e as NodeJS.ErrnoException).code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE";
    process.stderr.write(`classroom: ${missing ? `${wrong} needs a value` : `unknown argument ${wrong}`}\n${USAGE}\n`);
    return 2;
  }
  if (flags.help) {
    process.stderr.write(`classroom: ${USAGE}\n`);
    return 0;
  }
  const { out, template, commit } = flags;
  if (!template || !commit) {
    process.stderr.write(`classroom: --template and --commit are needed: the workflow fetches the grader from there, never from the learner's repository\n${USAGE}\n`);
    return 2;
  }
  let workflow: string;
  try {
    workflow = classroomWorkflow({ template, commit });
  } catch (e) {
    process.stderr.write(`classroom: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (out !== undefined) {
    // Relative to the folder the command was typed in (npm run moves to the course folder; INIT_CWD is the original).
    const base = env.npm_lifecycle_event === "classroom" && env.INIT_CWD ? env.INIT_CWD : process.cwd();
    const file = path.resolve(base, out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, workflow);
    process.stdout.write(`Wrote ${path.relative(base, file) || file}: ${course.specs.length} graded steps, ${course.specs.reduce((s, x) => s + x.points, 0)} points\n`);
    return 0;
  }
  if (env.npm_lifecycle_event === "classroom" && env.npm_config_loglevel !== "silent" && !stdoutIsTty) {
    process.stderr.write(`classroom: npm has already printed its own lines ("> ${env.npm_package_name ?? "…"}@… classroom") where the workflow would go, so the output would not be valid YAML. Nothing written.\n${USAGE}\n`);
    return 2;
  }
  process.stdout.write(workflow);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
