import { limitsFor, planRun, weightBytesOf, type RunPlan } from '../core/memory/index.ts';
import type { AttuneModel } from '../core/model/index.ts';
import type { PreprocessedCase } from '../core/preprocess/index.ts';
import type { AdaptSettings } from '../core/tta/index.ts';

/**
 * The app worker's memory plan for a CLI run (Node's wasm heap has the same 4 GiB ceiling):
 * batch sizes, adaptation passes, or a refusal (thrown, with its message).
 */
export function cliMemoryPlan(model: AttuneModel, pre: PreprocessedCase, settings: AdaptSettings[], batchSize: number, backend: 'wasm' | 'cpu'): RunPlan {
  const plan = planRun(model.arch, { height: pre.shape[1], width: pre.shape[2] }, weightBytesOf(model.weights), { batchSize, settings }, limitsFor(backend));
  if (plan.refusal) throw new Error(plan.refusal);
  return plan;
}
