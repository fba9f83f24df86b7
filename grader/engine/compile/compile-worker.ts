// Compiler process entry: learner source in, JavaScript (or the syntax problem) out; a list of
// sources (a learner's cells, compiled in one request) gives a list of results.
import { serve } from "../run/serve";
import { transpileSafely, type CompileResult } from "./transpile";

serve((sources: string | string[]): CompileResult | CompileResult[] => (Array.isArray(sources) ? sources.map(transpileSafely) : transpileSafely(sources)));
