// The course's public judges, by name: judges of relation checks that hold no
// answer (they read only the learner's answers). The learner edition ships this
// file and what it imports, and nothing else of exercises/ but the registry and
// its data: see grader/build-learner.ts. A spec publishes a relation by one of
// these names (relation(..., { publish: { judge, params } })).
import type { PublicJudge } from "../grader/engine/authoring";
import { BATCH_JUDGES } from "./04-learning-from-data/batch-judges";
import { GRAPH_JUDGES } from "./05-autograd/graph-judges";

export const PUBLIC_JUDGES: Record<string, PublicJudge> = { ...BATCH_JUDGES, ...GRAPH_JUDGES };
