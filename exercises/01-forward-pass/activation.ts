import { exercise, expectValue, matchesReference, read, QUOTED_4_DECIMALS } from "../../grader/engine/authoring";

// The cell is a value computed once from the given wL = 0.5, aPrevL = 0.25, bL = 1: the
// grader runs it with the chapter's givens and reads aL, and cannot run it again with
// others (one job per exercise, one set-up; check() may judge the kernel's values
// themselves; the learner edition publishes the expected value as data). With bL = 1,
// every order of weightedSum's arguments that moves bL gives the same z = wL + aPrevL =
// 0.75 (bL multiplies by 1), so σ(0.75) cannot say which arguments were swapped: the
// declared mistake says only what the number shows.
const BIAS_MULTIPLIED = "the weighted sum came out as wL + aPrevL = 0.75 instead of wL·aPrevL + bL = 1.125: bL is not the one added (with bL = 1, every order of weightedSum's arguments that does not put bL third gives this)";

export default exercise({
  id: "activation",
  title: "The last neuron's activation aL = σ(zL)",
  points: 1,
  defines: ["aL"],
  hints: [
    "Feed the example's weighted sum (from the given wL, aPrevL and bL) into sigmoid.",
    "aL = σ(wL · aPrevL + bL) = σ(1.125) ≈ 0.7549. Compute it inside this cell from the given wL, aPrevL and bL, with weightedSum and sigmoid: the grader runs each exercise cell on its own.",
  ],
  checks: [
    expectValue(read("aL"), 0.7549, { tol: QUOTED_4_DECIMALS, label: "aL ≈ 0.7549 (σ(1.125), quoted to 4 decimals)" }),
    matchesReference(read("aL"), { label: "aL = σ(1.125) to full precision" }),
  ],
  mutants: {
    "uses the weighted sum itself": "const aL: number = weightedSum(wL, aPrevL, bL);",
    // Any of the four orders with bL moved gives this answer: (bL, aPrevL, wL), (aPrevL, bL, wL), (bL, wL, aPrevL) too.
    [BIAS_MULTIPLIED]: "const aL: number = sigmoid(weightedSum(wL, bL, aPrevL));",
    "the bias is left out: σ(w·a)": "const aL: number = sigmoid(wL * aPrevL);",
    "the bias is added after the sigmoid: σ(w·a) + b instead of σ(w·a + b)": "const aL: number = sigmoid(wL * aPrevL) + bL;",
    "the rounded 0.7549 instead of the full value (typed in, or Number(x.toFixed(4)))": "const aL: number = Number(sigmoid(weightedSum(wL, aPrevL, bL)).toFixed(4));",
    "toFixed gives text: \"0.7549\" is a string, not a number": "const aL = sigmoid(weightedSum(wL, aPrevL, bL)).toFixed(4);",
  },
  mistakeHints: {
    "uses the weighted sum itself": "The activation is the weighted sum passed through the sigmoid: aL = σ(zL), with zL what weightedSum gives. z itself (1.125) is not squashed into (0, 1).",
    [BIAS_MULTIPLIED]: "weightedSum(w, aPrev, b) multiplies its first two arguments and adds the third: weightedSum(wL, aPrevL, bL) = 0.5 · 0.25 + 1 = 1.125. With bL first or second it is multiplied, and since bL = 1 every such order gives wL + aPrevL = 0.75, so the number cannot say which arguments were swapped: check that bL comes last (or, written out, wL * aPrevL + bL).",
    "the bias is left out: σ(w·a)": "The bias belongs inside the sigmoid: σ(wL·aPrevL + bL). weightedSum(wL, aPrevL, bL) adds it for you.",
    "the bias is added after the sigmoid: σ(w·a) + b instead of σ(w·a + b)": "The bias is part of the weighted sum, so it goes inside the sigmoid: sigmoid(wL * aPrevL + bL). Added outside, the result is no longer between 0 and 1.",
    "the rounded 0.7549 instead of the full value (typed in, or Number(x.toFixed(4)))": "0.7549 is the value rounded for the notes; the grader compares every digit. Compute aL in full from the given wL, aPrevL and bL, and round only what you print.",
    "toFixed gives text: \"0.7549\" is a string, not a number": "toFixed turns a number into text for printing, and later arithmetic on text goes wrong. Keep aL the number sigmoid gives, and round only what you print.",
  },
});
