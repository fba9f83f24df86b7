import { exercise, expectValue, matchesReference, read } from "../../grader/engine/spec";
import { QUOTED_4_DECIMALS } from "../../grader/engine/tolerance";

export default exercise({
  id: "activation",
  title: "The last neuron's activation aL = σ(zL)",
  points: 1,
  defines: ["aL"],
  hints: [
    "Feed the example's weighted sum (from the given wL, aPrevL and bL) into sigmoid.",
    "aL should be about 0.7549. Use the given values wL, aPrevL and bL, and compute everything inside this cell: the grader runs each exercise cell on its own.",
  ],
  checks: [
    expectValue(read("aL"), 0.7549, { tol: QUOTED_4_DECIMALS, label: "aL ≈ 0.7549 (σ(1.125), quoted to 4 decimals)" }),
    matchesReference(read("aL"), { label: "aL = σ(1.125) to full precision" }),
  ],
  mutants: {
    "uses the weighted sum itself": "const aL: number = weightedSum(wL, aPrevL, bL);",
    "swaps weight and bias": "const aL: number = sigmoid(weightedSum(bL, aPrevL, wL));",
    "the bias is left out: σ(w·a)": "const aL: number = sigmoid(wL * aPrevL);",
  },
});
