// Feedback on code nobody declared: a corpus of learner cells written the way
// learners write them (test/fixtures/corpus-*.ts, none derived from the specs'
// mutants; the second and third sets written blind by other authors, from the masters
// alone), each graded alone in its chapter. Every mistake fails, every honest
// variant gets full marks, and the `likely cause:` line of each mistake is the one
// reviewed against what the cell really does (corpus-causes.ts: null where the
// grader has no sure diagnosis and must say nothing). A hint that names a
// particular mistake appears only next to that mistake.
import { ALIKE } from "../grader/engine/judge/explain";
import * as path from "node:path";
import { course } from "../exercises";
import { grade } from "../grader/engine/grade";
import { GENERAL_NEXT_STEP } from "../grader/engine/judge/judge";
import type { ExerciseResult } from "../grader/engine/judge/result";
import type { CorpusEntry } from "./fixtures/corpus";
import { corpusCh12 } from "./fixtures/corpus-ch12";
import { corpusCh34 } from "./fixtures/corpus-ch34";
import { corpusCh5 } from "./fixtures/corpus-ch5";
import { expectedCauses as expectedFirst } from "./fixtures/corpus-causes";
import { corpusSecond } from "./fixtures/corpus-second";
import { expectedCausesSecond } from "./fixtures/corpus-second-causes";
import { corpusThird } from "./fixtures/corpus-third";
import { expectedCausesThird } from "./fixtures/corpus-third-causes";
import { corpusFourth } from "./fixtures/corpus-fourth";
import { expectedCausesFourth } from "./fixtures/corpus-fourth-causes";
import { corpusFifth } from "./fixtures/corpus-fifth";
import { expectedCausesFifth } from "./fixtures/corpus-fifth-causes";
import { corpusSixth } from "./fixtures/corpus-sixth";
import { expectedCausesSixth } from "./fixtures/corpus-sixth-causes";
import { corpusSeventh } from "./fixtures/corpus-seventh";
import { expectedCausesSeventh } from "./fixtures/corpus-seventh-causes";
import { corpusEighth } from "./fixtures/corpus-eighth";
import { expectedCausesEighth } from "./fixtures/corpus-eighth-causes";
import { BATCH_HOOK_MS, master, tempDir, withExerciseCell } from "./helpers";

const corpus: CorpusEntry[] = [...corpusCh12, ...corpusCh34, ...corpusCh5, ...corpusSecond, ...corpusThird, ...corpusFourth, ...corpusFifth, ...corpusSixth, ...corpusSeventh, ...corpusEighth];
const expectedCauses = { ...expectedFirst, ...expectedCausesSecond, ...expectedCausesThird, ...expectedCausesFourth, ...expectedCausesFifth, ...expectedCausesSixth, ...expectedCausesSeventh, ...expectedCausesEighth };
const mistakes = corpus.filter((v) => !v.passes);
const honest = corpus.filter((v) => v.passes);
const results = new Map<CorpusEntry, ExerciseResult>();

beforeAll(async () => {
  const dir = tempDir();
  const targets = corpus.map((v, i) => {
    const chapter = course.chapterOf(v.id)!;
    return { file: withExerciseCell(master(chapter.slug), v.id, v.body, path.join(dir, String(i), `${chapter.slug}.ipynb`)), chapter, only: [v.id] };
  });
  const report = await grade(course, targets);
  corpus.forEach((v, i) => results.set(v, report.results[i]));
}, BATCH_HOOK_MS);

test("the corpus is what the issue asks for: 100+ mistakes across all 41 exercises, honest variants beside them", () => {
  expect(mistakes.length).toBeGreaterThanOrEqual(100);
  expect(new Set(mistakes.map((v) => v.id))).toEqual(new Set(course.specs.map((s) => s.id)));
  expect(honest.length).toBeGreaterThanOrEqual(30);
  expect(new Set(corpus.map((v) => v.name)).size).toBe(corpus.length);
  // Every mistake has a reviewed expectation, and no expectation is left over.
  expect(mistakes.filter((v) => !(v.name in expectedCauses)).map((v) => v.name)).toEqual([]);
  expect(Object.keys(expectedCauses).filter((n) => !mistakes.some((v) => v.name === n))).toEqual([]);
});

test.each(honest.map((v) => [v.name, v] as const))("honest: %s gets full marks", (_name, v) => {
  const r = results.get(v)!;
  expect([r.status, r.problem, r.failures[0]]).toEqual(["passed", undefined, undefined]);
});

test.each(mistakes.map((v) => [v.name, v] as const))("mistake: %s fails with its reviewed cause", (_name, v) => {
  const r = results.get(v)!;
  expect(r.status).toBe("failed");
  expect(r.score).toBe(0);
  const want = expectedCauses[v.name];
  if (Array.isArray(want)) expect(want).toContain(r.likelyCause ?? null);
  else expect(r.likelyCause ?? null).toBe(want);
  const spec = course.spec(v.id)!;
  // A mistake's own hint only beside that mistake; otherwise a general hint.
  // A declared mistake is named as written, or as what the answers equal where the code does not hold its lines.
  const alike = r.likelyCause?.startsWith(ALIKE) === true;
  const label = alike ? r.likelyCause!.slice(ALIKE.length) : r.likelyCause;
  const named = label !== undefined && label in spec.mutants;
  const own = named ? spec.mistakeHints?.[label] : undefined;
  if (named) expect(r.hint).toBe(alike && own ? `Where your code does that: ${own}` : own);
  else if (r.likelyCause === undefined) expect([spec.hints[0], spec.hints[1], GENERAL_NEXT_STEP]).toContain(r.hint);
  expect(Object.entries(spec.mistakeHints ?? {}).filter(([label, hint]) => hint === r.hint && label !== r.likelyCause)).toEqual([]);
});

test("at least half of the mistakes are named, and the corpus holds every kind of generic mistake the grader names", () => {
  const named = mistakes.filter((v) => results.get(v)!.likelyCause !== undefined);
  expect(named.length / mistakes.length).toBeGreaterThanOrEqual(0.5);
  const causes = named.map((v) => results.get(v)!.likelyCause!);
  for (const pattern of [/^changes its argument/, /single precision/, /another answer for the same input/, /one and the same array/, /only for large/, /one item too (few|many)/, /does not depend on/, /1\/n ×/, /transposed/, /rounded to/]) {
    expect(causes.filter((c) => pattern.test(c)).length).toBeGreaterThan(0);
  }
});
