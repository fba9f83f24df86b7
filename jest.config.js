// Tests are TypeScript, compiled by swc for ES2022 (the grader injects some
// functions into sandboxes as source, so no down-levelling helpers may appear).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } }],
  },
  testTimeout: 60000,
  // The solutions and the mutants are graded once per run, whichever test asks first.
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  maxWorkers: 2,
};
