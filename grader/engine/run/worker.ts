// Worker process entry: answers jobs one by one (see child.ts for what this
// process may do, and pool.ts for who asks).
import { serve } from "./serve";
import { runJobWindowed, toWire, type Job } from "./job";
import { isolateAvailable } from "./realm";

// isolated-vm is the one native addon this process needs: it is loaded now, and then
// loading native code is switched off (a process taken over through the isolate could
// otherwise load any addon it can read, with all of native code's powers). Signalling
// other processes goes the same way: this process has no one to signal.
isolateAvailable();
const refuse = (what: string) => () => {
  throw new Error(`${what} is not available in a grading worker`);
};
Object.defineProperty(process, "dlopen", { value: refuse("loading native code"), writable: false, configurable: false });
Object.defineProperty(process, "kill", { value: refuse("signalling processes"), writable: false, configurable: false });

serve(async (job: Job, note) => toWire(await runJobWindowed(job, note)));
