// What the notebooks import: `import { check, todo, plot } from "backprop-lab";`
export { check, checkResult, caseInput } from "./check";
export type { CaseInputs, CaseInputId } from "./case-inputs";
export { plot, type Trace, type Layout } from "./plot";
export type { Network, Gradients } from "../engine/course/network";
export { loadMnist, digitImage, oneHot, type Digits } from "./mnist";
export { showImages, imagesHtml } from "./images";
export { liveOutput } from "./display";
export { drawGraph, graphSvg, drawForms, formsHtml, type Value, type FormRow } from "./autograd";
import { inKernel } from "./display";
import { notWrittenYet } from "./errors";
import { formatKernelErrors, watchKernelCells } from "./kernel";
export * as fast from "./fastnet";
// What later chapters are given from earlier ones (compiled, so no notebook shows an earlier answer).
export { weightedSum, sigmoid, sigmoidPrime, layerForward, networkForward, backprop } from "./given";

/** One training example: an input vector and the output we want for it. */
export interface Example {
  x: number[];
  y: number[];
}

/**
 * The stub's placeholder: throws until you replace the call with your code. In
 * the notebook it prints one line, e.g.
 * `sigmoid is not written yet: replace todo("sigmoid") in the cell marked // exercise: sigmoid`,
 * and lets the rest of the notebook run (see kernel.ts).
 */
export function todo(id: string): never {
  const e = new Error(notWrittenYet(id));
  e.name = "NotDoneYet";
  throw e;
}

// Inside a tslab kernel, cell errors are shown as one or two lines naming the
// learner's cell, not as Node stack traces. Installed when the notebook's first
// cell imports the lab; does nothing anywhere else (tests, plain node).
if (inKernel()) {
  watchKernelCells();
  formatKernelErrors();
}
