import { describe, expect, it } from 'vitest';
import { DEMO_CASE, DEMO_CASE_DIR } from '../../node/demoCase.ts';
import { readCaseFolder } from '../../node/readCaseFolder.ts';
import { preprocess } from './index.ts';
import fixture from './fixtures/brats-00324.json';

/**
 * training/attune_train/fixtures.py preprocessed this real case in Python and summarised it;
 * the TS preprocessing (the app's and CLI's path) must give the same box and values.
 */
describe('preprocessing equals the trainer on a real case (the bundled demo case)', () => {
  it('same crop box, channel sums and sampled voxels', async () => {
    expect(fixture.case).toBe(DEMO_CASE);
    const { check } = await readCaseFolder(DEMO_CASE_DIR);
    const pre = preprocess(check.mriCase!.modalities);
    const [d, h, w] = pre.shape;
    const b = fixture.box;
    expect([pre.box.start[0], pre.box.start[1], pre.box.start[2]]).toEqual([b.i0, b.j0, b.k0]);
    expect([w, h, d]).toEqual([b.width, b.height, b.depth]);
    for (let c = 0; c < 4; c++) {
      let sum = 0, sq = 0;
      for (let n = c; n < pre.input.length; n += 4) {
        sum += pre.input[n];
        sq += pre.input[n] * pre.input[n];
      }
      expect(Math.abs(sum - fixture.channelSum[c])).toBeLessThan(1e-3 * Math.max(1, Math.abs(fixture.channelSumSq[c])) ** 0.5);
      expect(Math.abs(sq - fixture.channelSumSq[c]) / fixture.channelSumSq[c]).toBeLessThan(1e-6);
    }
    for (const s of fixture.samples) {
      expect(pre.input[((s.k * h + s.h) * w + s.w) * 4 + s.c]).toBeCloseTo(s.value, 5);
    }
  });
});
