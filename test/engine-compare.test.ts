// compare.ts on its own: where the first difference is, shapes before values,
// and the one-sentence reason a learner reads. Every expected string here is
// the message a failure shows, so a changed word is a changed message.
import { compare, leafRatios, shapeMismatch } from "../grader/engine/judge/compare";
import { FunctionValue, Unreadable, type Plain } from "../grader/engine/judge/values";

describe("compare: equal values", () => {
  test.each<[string, Plain, Plain]>([
    ["numbers within the default tolerance", 0.1 + 0.2, 0.3],
    ["nested arrays", [[1, 2], [3]], [[1, 2], [3]]],
    ["records, extra fields ignored", { dW: 1, dB: [2], extra: "x" }, { dW: 1, dB: [2] }],
    ["strings", "abc", "abc"],
    ["null", null, null],
    ["undefined", undefined, undefined],
    ["NaN where NaN is expected", NaN, NaN],
    ["booleans", true, true],
  ])("%s", (_, actual, expected) => {
    expect(compare(actual, expected)).toBeNull();
  });
});

describe("compare: the first difference, with its path and why", () => {
  test("a number off by more than the tolerance", () => {
    expect(compare(1.5, 1)).toEqual({ path: "", expected: "1", actual: "1.5", why: undefined });
  });

  test("the tolerance is the one given: absolute and relative parts", () => {
    expect(compare(1.04, 1, { rel: 0, abs: 0.05 })).toBeNull();
    expect(compare(1.06, 1, { rel: 0, abs: 0.05 })).not.toBeNull();
    expect(compare(104, 100, { rel: 0.05, abs: 0 })).toBeNull();
    expect(compare(106, 100, { rel: 0.05, abs: 0 })).not.toBeNull();
  });

  test("NaN and infinities say what happened", () => {
    expect(compare(NaN, 1)?.why).toBe("got NaN: somewhere an operation had no number for its answer: 0/0, Infinity - Infinity, Infinity/Infinity, the log or square root of a negative number, or arithmetic on undefined (a missing item or field)");
    expect(compare(Infinity, 1)?.why).toBe("got an infinite number: a division by zero, or a number that overflowed");
    expect(compare(-Infinity, 1)?.why).toBe("got an infinite number: a division by zero, or a number that overflowed");
  });

  test("the path names the element: arrays, nested arrays and fields", () => {
    expect(compare([1, 2, 3], [1, 2, 4])).toMatchObject({ path: "[2]", expected: "4", actual: "3" });
    expect(compare([[1, 2], [3, 4]], [[1, 2], [3, 5]])?.path).toBe("[1][1]");
    expect(compare({ dW: [1, 2], dB: 3 }, { dW: [1, 9], dB: 3 })?.path).toBe(".dW[1]");
    expect(compare({ a: 1, b: 2 }, { a: 1, b: 3 })?.path).toBe(".b");
  });

  test("only the first difference is reported", () => {
    expect(compare([9, 9], [1, 2])).toMatchObject({ path: "[0]", expected: "1", actual: "9" });
  });

  test("a path prefix given by the caller leads every path", () => {
    expect(compare([1, 2], [1, 3], undefined, "dWs")?.path).toBe("dWs[1]");
    expect(compare([1], [1, 3], undefined, "dWs")?.path).toBe("dWs");
  });

  test("a missing field", () => {
    expect(compare({ dW: 1 }, { dW: 1, dB: 2 })).toEqual({ path: ".dB", expected: "2", actual: "missing", why: "the result has no `dB` field" });
  });

  test("undefined: a missing return", () => {
    expect(compare(undefined, 1)).toEqual({ path: "", expected: "1", actual: "undefined", why: "got undefined: is a `return` missing?" });
    expect(compare(undefined, [1])?.why).toBe("got undefined: is a `return` missing?");
  });

  test("a string where a number belongs", () => {
    expect(compare("0.5", 0.5)?.why).toBe("got a string, not a number (a number is never written in quotes; toFixed() returns a string)");
    // Only a string for a number: a string for an array is a plain kind mismatch.
    expect(compare("0.5", [0.5])?.why).toBe("expected an array, got a string");
  });

  test("an unreadable answer says why it could not be read", () => {
    expect(compare(new Unreadable("a cycle"), 1)?.why).toBe("the answer could not be read: a cycle");
    expect(compare(new Unreadable("a cycle"), [1])?.why).toBe("the answer could not be read: a cycle");
  });

  test("another kind of value names both kinds", () => {
    expect(compare([1], 1)).toEqual({ path: "", expected: "1", actual: "[1]", why: "expected a number, got an array" });
    expect(compare(1, [1])?.why).toBe("expected an array, got a number");
    expect(compare([1], { a: 1 })?.why).toBe("expected an object, got an array");
    expect(compare(null, { a: 1 })?.why).toBe("expected an object, got null");
    expect(compare(new FunctionValue("f"), { a: 1 })?.why).toBe("expected an object, got a function");
    expect(compare(true, "true")?.why).toBe("expected a string, got a boolean");
  });

  test("the same kind but another value: no why", () => {
    const m = compare("b", "a");
    expect(m).toEqual({ path: "", expected: '"a"', actual: '"b"' });
    expect(m).not.toHaveProperty("why");
    expect(compare(false, true)).toEqual({ path: "", expected: "true", actual: "false" });
  });

  test("-0 and 0 are the same number; 1n and 1 are not the same value", () => {
    expect(compare(-0, 0)).toBeNull();
    expect(compare(1n, 1)).not.toBeNull();
    expect(compare(1n, 1n)).toBeNull();
  });
});

describe("shapes before values", () => {
  test("a wrong length anywhere is reported before a wrong number earlier on", () => {
    expect(compare([[9, 9], [1]], [[1, 2], [1, 2]])).toEqual({
      path: "[1]",
      expected: "2 items",
      actual: "1 items",
      why: "the shape is wrong: expected 2 numbers, got 1 number",
    });
  });

  test("shapes are described in words", () => {
    const why = (actual: Plain, expected: Plain) => shapeMismatch(actual, expected)?.why;
    expect(why([], [1, 2])).toBe("the shape is wrong: expected 2 numbers, got an empty list");
    expect(why([[1, 2, 3]], [[1, 2, 3], [4, 5, 6]])).toBe("the shape is wrong: expected 2 rows of 3, got 1 rows of 3");
    expect(why([[[1]]], [[[1]], [[2]], [[3]]])).toBe("the shape is wrong: expected 3 lists of 1 rows of 1, got 1 lists of 1 rows of 1");
    // Rows of different lengths, or of mixed items: just a count.
    expect(why([[1], [1, 2]], [[1], [1, 2], [3]])).toBe("the shape is wrong: expected 3 items, got 2 items");
    expect(why(["a", 1], [1, 2, 3])).toBe("the shape is wrong: expected 3 numbers, got 2 items");
    expect(why([[1], 2], [[1], 2, 3])).toBe("the shape is wrong: expected 3 items, got 2 items");
  });

  test("a nested row of another length is found, with its path", () => {
    expect(shapeMismatch([[1, 2], [1, 2, 3]], [[1, 2], [1, 2]])).toMatchObject({ path: "[1]", expected: "2 items", actual: "3 items" });
    expect(shapeMismatch({ w: [[1], [2, 3]] }, { w: [[1], [2]] }, "net")).toMatchObject({ path: "net.w[1]" });
  });

  test("fields missing from the answer are left to the value comparison", () => {
    expect(shapeMismatch({}, { w: [1, 2] })).toBeNull();
    expect(shapeMismatch({ v: 1, w: [1] }, { v: 2, w: [1, 2] })).toMatchObject({ path: ".w" });
  });

  test("only arrays and records have a shape", () => {
    expect(shapeMismatch(1, 2)).toBeNull();
    expect(shapeMismatch([1], 2)).toBeNull();
    expect(shapeMismatch(new FunctionValue("f"), { a: [1] })).toBeNull();
    expect(shapeMismatch(new Unreadable("x"), { a: [1] })).toBeNull();
    expect(shapeMismatch({ a: [1] }, new Unreadable("x"))).toBeNull();
  });
});

describe("leafRatios: actual/expected of every differing number, when only numbers differ", () => {
  test("the ratios of the numbers that differ, and none of those that agree", () => {
    expect(leafRatios([2, 3, -8], [1, 3, 4])).toEqual([2, -2]);
    expect(leafRatios({ dW: [1, 6], dB: 4 }, { dW: [1, 3], dB: 2 })).toEqual([2, 2]);
    expect(leafRatios([1, 2], [1, 2])).toEqual([]);
  });

  test("null when the shapes or kinds differ", () => {
    expect(leafRatios([1], [1, 2])).toBeNull();
    // One item too many: the items both have agree, but the shapes do not.
    expect(leafRatios([1, 2, 3], [1, 2])).toBeNull();
    expect(leafRatios(5, [])).toBeNull();
    expect(leafRatios(1, [1])).toBeNull();
    expect(leafRatios("1", 1)).toBeNull();
    expect(leafRatios({}, { a: 1 })).toBeNull();
    expect(leafRatios([1], { a: 1 })).toBeNull();
    expect(leafRatios("a", "b")).toBeNull();
  });

  test("null when a difference has no ratio: an expected 0, or a non-finite answer", () => {
    expect(leafRatios([1, 5], [1, 0])).toBeNull();
    expect(leafRatios([Infinity], [1])).toBeNull();
    expect(leafRatios([NaN], [1])).toBeNull();
  });

  test("equal non-numbers are fine, and the tolerance decides what differs", () => {
    expect(leafRatios({ s: "a", x: 2 }, { s: "a", x: 1 })).toEqual([2]);
    expect(leafRatios([1.04, 3], [1, 1], { rel: 0, abs: 0.05 })).toEqual([3]);
  });
});
