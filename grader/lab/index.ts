// What the notebooks import: `import { check, todo, plot } from "backprop-lab";`
export { check, checkResult } from "./check";
export { plot, type Trace, type Layout } from "./plot";
export type { Network, Gradients } from "./network";
export { loadMnist, digitImage, oneHot, type Digits } from "./mnist";
export { showImages, imagesHtml } from "./images";
export { liveOutput } from "./display";
export * as fast from "./fastnet";
// What later chapters are given from earlier ones (compiled, so no notebook shows an earlier answer).
export { weightedSum, sigmoid, sigmoidPrime, layerForward, networkForward, backprop } from "./given";

/** One training example: an input vector and the output we want for it. */
export interface Example {
  x: number[];
  y: number[];
}

/** The stub's placeholder: throws "not done yet" until you replace the call with your code. */
export function todo(id: string): never {
  const e = new Error(`not done yet: replace the todo("${id}") call with your code`);
  e.name = "NotDoneYet";
  throw e;
}
