// The Jest run StrykerJS uses for mutation testing (npm run mutation): the fast,
// in-process tests of the judging core only. Tests that grade through worker
// processes run dist/ (compiled before any mutant exists), so they could never
// see a mutant, and they take seconds each.
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    "<rootDir>/test/engine-*.test.ts",
    "<rootDir>/test/formula-hostile.test.ts",
  ],
  maxWorkers: 1,
};
