// npm run mutation: mutation testing of the grader's judging core with StrykerJS
// (README, "Mutation testing"). Not in CI: a full run takes minutes.
// @ts-check
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "jest",
  // Only the fast in-process tests (see jest.mutation.config.js for why).
  jest: { projectType: "custom", configFile: "jest.mutation.config.js", enableFindRelatedTests: false },
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: "perTest",
  mutate: [
    "grader/engine/judge/compare.ts",
    "grader/engine/judge/judge.ts",
    "grader/engine/judge/explain.ts",
    "grader/engine/judge/gradcheck.ts",
    "grader/engine/judge/formula.ts",
    "grader/engine/notebook/cells.ts",
    "grader/engine/notebook/notebook.ts",
    "grader/engine/judge/values.ts",
  ],
  // A rerun tests only the mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  // Two cores at most: the run shares the machine.
  concurrency: 2,
  // A mutant may turn a loop endless; a loaded machine makes an honest run slow. 15 s on
  // top of the measured time tells the two apart (the tests of one module take ~1 s).
  timeoutMS: 15000,
  tempDirName: ".stryker-tmp",
  // dist/ is never loaded by these tests; copying it into the sandbox is wasted time.
  ignorePatterns: ["dist", "build", "reports", "test-output", ".test-notebooks"],
  cleanTempDir: "always",
};
