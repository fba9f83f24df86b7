// Worker process entry: answers jobs one by one (see child.ts for what this
// process may do, and pool.ts for who asks).
import { serve } from "./serve";
import { runJob, type Job } from "./job";

serve((job: Job) => runJob(job));
