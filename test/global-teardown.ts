// Removes the run's shared job results (see global-setup.ts): nothing outlives one `npm test`.
import * as fs from "node:fs";

export default function globalTeardown(): void {
  const dir = process.env.BACKPROP_LAB_SHARED_JOBS;
  if (dir && /bp-shared-jobs-/.test(dir)) fs.rmSync(dir, { recursive: true, force: true });
}
