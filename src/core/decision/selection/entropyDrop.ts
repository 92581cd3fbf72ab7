import { relativeFall, type SelectionRule } from './selectionRule.ts';

/**
 * The relative fall of the prediction entropy inside the predicted tumour. Not TENT's objective
 * restated: TENT lowers the entropy of every pixel of its statistics slices, and inside the
 * tumour it rose on some of the scans it harmed (BENCHMARKS.md, "Does the evidence separate
 * helped from harmed runs?").
 */
export const entropyDrop: SelectionRule = {
  name: 'entropyDrop',
  summary: 'relative fall of the entropy inside the tumour',
  score(baseline, adapted) {
    const score = relativeFall(baseline.tumourEntropy, adapted.tumourEntropy);
    return { score, said: `entropy inside the tumour ${baseline.tumourEntropy.toFixed(3)} → ${adapted.tumourEntropy.toFixed(3)}` };
  },
};
