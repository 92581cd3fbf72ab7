import { relativeFall, type SelectionRule } from './selectionRule.ts';

/**
 * The relative fall of the left–right flip disagreement of the tumour: no adaptation objective
 * sees the mirrored scan, so a model that now agrees with its own mirror image did not get
 * there by optimising this number.
 */
export const flipDrop: SelectionRule = {
  name: 'flipDrop',
  summary: 'relative fall of the left–right flip disagreement of the tumour',
  score(baseline, adapted) {
    if (adapted.flipDisagreement === undefined) return { unscored: 'its flip disagreement was not measured' };
    if (baseline.flipDisagreement === null) return { unscored: 'the baseline has no tumour on the flip check’s slices to compare with' };
    if (adapted.flipDisagreement === null) return { unscored: 'the adapted model predicts no tumour on the flip check’s slices' };
    const score = relativeFall(baseline.flipDisagreement, adapted.flipDisagreement);
    return { score, said: `flip disagreement ${baseline.flipDisagreement.toFixed(3)} → ${adapted.flipDisagreement.toFixed(3)}` };
  },
};
