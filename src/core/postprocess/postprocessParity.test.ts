import { describe, expect, it } from 'vitest';
import { DICE_KEYS, DICE_LABELS } from '../metrics/dice.ts';
import { hd95 } from '../metrics/hd95.ts';
import { DEFAULT_POSTPROCESS, postprocessLabels } from './index.ts';
import fixture from './fixtures/postprocess-parity.json';

/**
 * The Python twin (training/attune_train/postprocess.py) wrote these outputs; the runtime must
 * produce the same voxels for the same input and settings, so the evaluation's numbers are the
 * app's. The fixture also carries the Python HD95 of each output, which checks metrics.py's
 * HD95 against src/core/metrics/hd95.ts on the same volumes.
 */
describe('postprocessLabels matches training/attune_train/postprocess.py', () => {
  for (const [c, doc] of fixture.cases.entries()) {
    const dims = doc.dims as [number, number, number];
    const input = Uint8Array.from(doc.input);
    for (const run of doc.runs) {
      it(`case ${c}, components < ${run.minComponentVoxels} removed, ET < ${run.minEtVoxels} → NCR`, () => {
        const out = postprocessLabels(input, dims, { minComponentVoxels: run.minComponentVoxels, minEtVoxels: run.minEtVoxels });
        expect(out).toEqual(Uint8Array.from(run.output));
        for (const [key, value] of Object.entries(run.hd95)) {
          expect(DICE_KEYS).toContain(key);
          const ts = hd95(out, doc.reference, DICE_LABELS[key as keyof typeof DICE_LABELS], dims, [1, 1, 1]);
          expect(ts, `HD95 ${key}`).toBeCloseTo(value as number, 9);
        }
      });
    }
  }

  it('the runtime defaults are the evaluation defaults (postprocess.py DEFAULT_*)', () => {
    expect(DEFAULT_POSTPROCESS).toEqual(fixture.defaults);
  });

  it('the fixture exercises both rules (it can fail)', () => {
    const changed = fixture.cases.flatMap((doc) => doc.runs.map((r) => r.output.some((v, n) => v !== doc.input[n])));
    expect(changed.filter(Boolean).length).toBeGreaterThanOrEqual(8);
    const etRule = fixture.cases.some((doc) => doc.runs.some((r) => r.minComponentVoxels === 0 && r.output.some((v, n) => v !== doc.input[n])));
    expect(etRule).toBe(true);
  });
});
