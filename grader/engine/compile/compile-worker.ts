// Compiler process entry: learner source in, JavaScript (or the syntax problem) out.
import { serve } from "../run/serve";
import { transpileSafely } from "./transpile";

serve((source: string) => transpileSafely(source));
