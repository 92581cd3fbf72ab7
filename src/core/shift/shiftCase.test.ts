import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_CASE, DEMO_CASE_DIR } from '../../node/demoCase.ts';
import { loadCase, type MriCase } from '../case/index.ts';
import { MODALITIES } from '../modality/index.ts';
import { makeSyntheticCase, type SyntheticCaseOptions } from '../synthetic/index.ts';
import { brainStats, presetTableMarkdown, SHIFT_PRESET_NAMES, shiftCase, shiftVolume, supportOf } from './index.ts';

async function phantomCase(options: SyntheticCaseOptions = {}): Promise<MriCase> {
  const c = makeSyntheticCase({ seed: 2, ...options });
  const { check } = await loadCase(Object.values(c.files));
  if (!check.mriCase) throw new Error('phantom did not load');
  return check.mriCase;
}

/** Brain mask as preprocessing builds it: any modality ≠ 0. */
function brainMask(mri: MriCase): Uint8Array {
  const n = mri.modalities.t1.data.length;
  const mask = new Uint8Array(n);
  for (const m of MODALITIES) for (let v = 0; v < n; v++) if (mri.modalities[m].data[v] !== 0) mask[v] = 1;
  return mask;
}

function meanAbsChange(a: MriCase, b: MriCase): number {
  let sum = 0;
  let count = 0;
  for (const m of MODALITIES) {
    const x = a.modalities[m].data;
    const y = b.modalities[m].data;
    for (let n = 0; n < x.length; n++) if (x[n] !== 0) (sum += Math.abs(x[n] - y[n]) / a.modalities[m].data.length), count++;
  }
  return count ? (sum * a.modalities.t1.data.length) / count : 0;
}

function sameVoxels(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return false;
  return true;
}

describe('shiftCase', () => {
  it('severity 0 is the identity for every preset: same type, byte-identical voxels, fresh arrays', async () => {
    const mri = await phantomCase();
    for (const preset of SHIFT_PRESET_NAMES) {
      const out = shiftCase(mri, { preset, severity: 0, seed: 5 });
      for (const m of MODALITIES) {
        const a = mri.modalities[m].data;
        const b = out.mriCase.modalities[m].data;
        expect(b).not.toBe(a);
        expect(b.constructor).toBe(a.constructor);
        expect(Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength))).toBe(true);
        expect(out.steps[m]).toEqual([]);
      }
    }
  });

  it('is deterministic by seed, and another seed gives other voxels', async () => {
    const mri = await phantomCase();
    for (const preset of ['low-field', 'vendor-mild', 'thick-slices'] as const) {
      const a = shiftCase(mri, { preset, severity: 3, seed: 11 });
      const b = shiftCase(mri, { preset, severity: 3, seed: 11 });
      const c = shiftCase(mri, { preset, severity: 3, seed: 12 });
      expect(a.steps).toEqual(b.steps);
      for (const m of MODALITIES) {
        expect(sameVoxels(a.mriCase.modalities[m].data, b.mriCase.modalities[m].data)).toBe(true);
        expect(sameVoxels(a.mriCase.modalities[m].data, c.mriCase.modalities[m].data)).toBe(false);
      }
    }
  });

  it('every preset changes every modality it targets, more with severity, keeps the brain mask, the grid and the type, and leaves its input alone', async () => {
    // 1 mm slices so every thick-slice level really resamples (k = 2, 3, 5, 7).
    const mri = await phantomCase({ spacingMm: [1, 1, 1], dims: [40, 40, 24] });
    const before = MODALITIES.map((m) => mri.modalities[m].data.slice());
    const labelBefore = mri.label!.data.slice();
    const mask = brainMask(mri);
    for (const preset of SHIFT_PRESET_NAMES) {
      let previous = 0;
      for (const severity of [1, 2, 3, 4]) {
        const out = shiftCase(mri, { preset, severity, seed: 1 });
        for (const m of MODALITIES) {
          const a = mri.modalities[m];
          const b = out.mriCase.modalities[m];
          // weak-enhancement acts on T1Gd only: the others must come out untouched.
          const targeted = preset !== 'weak-enhancement' || m === 't1ce';
          expect(sameVoxels(a.data, b.data), `${preset} s${severity} ${m}`).toBe(!targeted);
          expect(b.data).toBeInstanceOf(Int16Array);
          expect(b.dims).toEqual(a.dims);
          expect(b.affine).toEqual(a.affine);
          expect(b.spacingMm).toEqual(a.spacingMm);
          expect(b.header).toBe(a.header);
          // Each modality's zeros stay exactly where they were.
          let moved = 0;
          for (let n = 0; n < a.data.length; n++) if ((b.data[n] === 0) !== (a.data[n] === 0)) moved++;
          expect(moved).toBe(0);
        }
        expect(sameVoxels(brainMask(out.mriCase), mask)).toBe(true);
        expect(out.mriCase.label!.data).not.toBe(mri.label!.data);
        expect(sameVoxels(out.mriCase.label!.data, labelBefore)).toBe(true);
        const change = meanAbsChange(mri, out.mriCase);
        expect(change, `${preset} s${severity}`).toBeGreaterThanOrEqual(previous);
        previous = change;
      }
    }
    MODALITIES.forEach((m, i) => expect(sameVoxels(mri.modalities[m].data, before[i])).toBe(true));
    expect(sameVoxels(mri.label!.data, labelBefore)).toBe(true);
  });

  it('draws per modality: a preset with random signs and jitter treats the four scans differently', async () => {
    const mri = await phantomCase();
    const { steps } = shiftCase(mri, { preset: 'vendor-mild', severity: 2, seed: 3 });
    expect(new Set(MODALITIES.map((m) => JSON.stringify(steps[m]))).size).toBe(4);
  });

  it('refuses an unknown preset, a bad severity or seed with a specific message', async () => {
    const mri = await phantomCase();
    expect(() => shiftCase(mri, { preset: 'hospital-b', severity: 1 })).toThrow(/unknown shift preset "hospital-b" \(known: low-field, vendor-mild/);
    for (const severity of [5, -1, 1.5, 'two', '']) {
      expect(() => shiftCase(mri, { preset: 'noisy', severity })).toThrow(/shift severity must be an integer from 0 \(none\) to 4/);
    }
    expect(() => shiftCase(mri, { preset: 'noisy', severity: 1, seed: -3 })).toThrow(/shift seed must be an integer/);
  });

  it('a scaled input (scl_slope) is shifted in physical values and stored as float32', async () => {
    const mri = await phantomCase();
    const t1 = mri.modalities.t1;
    const scaled = { ...t1, scaling: { slope: 2, inter: 10 } };
    const step = { kind: 'gainOffset', gain: 1.5, offset: 0 } as const;
    const out = shiftVolume(scaled, [step]);
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(out.datatype).toBe(16);
    expect(out.scaling).toEqual({ slope: 1, inter: 0 });
    for (let n = 0; n < t1.data.length; n += 97) {
      const physical = t1.data[n] * 2 + 10;
      expect(out.data[n]).toBeCloseTo(physical === 0 ? 0 : 1.5 * physical, 2);
    }
  });

  it('a voxel that would round to 0 stays in the brain; integers clamp to their range', async () => {
    const mri = await phantomCase();
    const out = shiftVolume(mri.modalities.t1, [{ kind: 'gainOffset', gain: 1e-4, offset: 0 }]);
    expect(sameVoxels(out.data, Int16Array.from(mri.modalities.t1.data, (v) => (v === 0 ? 0 : 1)))).toBe(true);
    const big = shiftVolume(mri.modalities.t1, [{ kind: 'gainOffset', gain: 1000, offset: 0 }]);
    expect(Math.max(...big.data)).toBe(32767);
  });

  it('the README table is the presets table in the code', () => {
    const readme = readFileSync(fileURLToPath(new URL('./README.md', import.meta.url)), 'utf8');
    expect(readme).toContain(presetTableMarkdown());
  });
});

// The bundled demo case (public/demo): a real scan on every machine, so this never skips.
describe(`a real BraTS case (${DEMO_CASE})`, () => {
  it('low-field severity 2 keeps mask, labels, grid and type, and narrows the p25–p75 band relative to the range', async () => {
    const inputs = ['flair', 'seg', 't1', 't1ce', 't2'].map((s) => {
      const name = `${DEMO_CASE}_${s}.nii.gz`;
      return { name, bytes: new Uint8Array(readFileSync(resolve(DEMO_CASE_DIR, name))) };
    });
    const mri = (await loadCase(inputs)).check.mriCase!;
    const out = shiftCase(mri, { preset: 'low-field', severity: 2, seed: 1 });
    expect(sameVoxels(brainMask(out.mriCase), brainMask(mri))).toBe(true);
    expect(sameVoxels(out.mriCase.label!.data, mri.label!.data)).toBe(true);
    for (const m of MODALITIES) {
      const a = mri.modalities[m].data;
      const b = out.mriCase.modalities[m].data;
      expect(b).toBeInstanceOf(Int16Array);
      expect(sameVoxels(a, b)).toBe(false);
      expect(out.mriCase.modalities[m].dims).toEqual(mri.modalities[m].dims);
      const band = (d: ArrayLike<number>) => {
        const s = brainStats(d, supportOf(d));
        return (s.quantile(0.75) - s.quantile(0.25)) / (s.quantile(0.995) - s.quantile(0.005));
      };
      expect(band(b), m).toBeLessThan(band(a));
    }
  }, 300_000); // a whole real case through the simulator: ~1–2 min on 2 busy cores
});
