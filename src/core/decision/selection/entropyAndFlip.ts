import { entropyDrop } from './entropyDrop.ts';
import { flipDrop } from './flipDrop.ts';
import type { SelectionRule } from './selectionRule.ts';

/** Both must agree: the score is the smaller of the two relative falls (entropy inside the tumour, flip disagreement). */
export const entropyAndFlip: SelectionRule = {
  name: 'entropyAndFlip',
  summary: 'the smaller of the relative falls of the entropy inside the tumour and of the flip disagreement',
  score(baseline, adapted) {
    const e = entropyDrop.score(baseline, adapted);
    const f = flipDrop.score(baseline, adapted);
    if ('unscored' in e) return e;
    if ('unscored' in f) return f;
    return { score: Math.min(e.score, f.score), said: `${e.said}, ${f.said}` };
  },
};
