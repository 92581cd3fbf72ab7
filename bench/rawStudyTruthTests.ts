import { describe, expect, it } from 'vitest';
import { rawStudyCases, rawStudyDataPresent } from './rawStudyCases.ts';

/**
 * Issue 21's "Done when" on one BraTS case moved by a random rigid motion per modality, run
 * through the whole raw pipeline (elastix, resampling, the shipped model, wasm): on 1 mm
 * scanner grids the pipeline's WT mask agrees with the same model on the BraTS original
 * (Dice ≥ 0.90) and the T1Gd lands within 2 mm everywhere in the brain; on clinical
 * 0.9×0.9×5 mm grids the T1Gd still lands within 2 mm (the Dice there is reported by
 * bench/rawStudyTruth.ts, not held to a bar). Minutes per case on 2 cores: one file per case,
 * so vitest runs them on separate workers.
 */
export function simulatedCaseTests(name: string): void {
  const missing = !rawStudyDataPresent();
  describe.skipIf(missing)(`the raw pipeline on ${name} moved onto scanner grids${missing ? ' (skipped: ../shared/data is absent on this machine)' : ''}`, () => {
    // MindGrab, SRI24, elastix and the model are loaded once for both tests.
    let loaded: ReturnType<typeof rawStudyCases> | undefined;
    const casesOnce = () => (loaded ??= rawStudyCases());
    it('1 mm grids: WT Dice ≥ 0.90 against the model on the original, T1Gd registration error ≤ 2 mm', async () => {
      const cases = await casesOnce();
      const { record } = await cases.simulated(name, '1mm');
      console.log(`${record.scan}: WT Dice ${record.wtDiceVsModelOnOriginal}, T1Gd error mean ${record.registration.t1ceErrorMm.brainMean} / max ${record.registration.t1ceErrorMm.brainMax} mm`);
      expect(record.wtDiceVsModelOnOriginal).toBeGreaterThanOrEqual(0.9);
      expect(record.registration.t1ceErrorMm.brainMax).toBeLessThanOrEqual(2);
      for (const m of ['t1', 't1ce', 't2', 'flair'] as const) expect(record.registration[m]?.problem, m).toBeNull();
    }, 900_000);

    it('clinical 0.9×0.9×5 mm grids: T1Gd registration error ≤ 2 mm', async () => {
      const cases = await casesOnce();
      const { record } = await cases.simulated(name, 'clinical', undefined, { segment: false });
      console.log(`${record.scan}: T1Gd error mean ${record.registration.t1ceErrorMm.brainMean} / max ${record.registration.t1ceErrorMm.brainMax} mm`);
      expect(record.registration.t1ceErrorMm.brainMax).toBeLessThanOrEqual(2);
      for (const m of ['t1', 't1ce', 't2', 'flair'] as const) expect(record.registration[m]?.problem, m).toBeNull();
    }, 900_000);
  });
}
