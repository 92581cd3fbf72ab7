import { describe, expect, it } from 'vitest';
import { caseStem, describeSignalReading, hasTumour, lossCurvesCsv, maskChanges } from './index.ts';
import type { SignalReading } from '../decision/index.ts';

describe('maskChanges', () => {
  it('classifies every voxel as unchanged, gained, lost or relabelled', () => {
    const before = Uint8Array.from([0, 0, 1, 2, 4, 4, 2, 0]);
    const after = Uint8Array.from([0, 2, 0, 2, 1, 4, 0, 4]);
    const { map, counts } = maskChanges(before, after);
    expect(Array.from(map)).toEqual([0, 1, 2, 0, 3, 0, 2, 1]);
    expect(counts).toEqual({ gained: 2, lost: 2, relabelled: 1 });
  });
  it('refuses masks of different sizes', () => {
    expect(() => maskChanges(new Uint8Array(3), new Uint8Array(4))).toThrow(/3 vs 4/);
  });
});

describe('describeSignalReading', () => {
  const reading = (value: number, trainingMax: number): SignalReading => ({ signal: 'tumourEntropy', value, percentile: 50, trainingMax, ratio: value / trainingMax, reference: 'training', referenceScans: 10 });
  it('says "within" up to the highest training scan and "beyond" above it, never near/far', () => {
    expect(describeSignalReading(reading(0.1, 0.2)).level).toBe('within');
    expect(describeSignalReading(reading(0.2, 0.2)).level).toBe('within');
    const beyond = describeSignalReading(reading(0.3, 0.2));
    expect(beyond.level).toBe('beyond');
    expect(beyond.advice).toContain('1.5×');
    for (const w of [describeSignalReading(reading(0.1, 0.2)), beyond]) expect(`${w.label} ${w.advice}`).not.toMatch(/far|moderately/);
  });
});

describe('no tumour found', () => {
  it('a no-tumour reading gets its own words, never "within" or "beyond"', () => {
    const w = describeSignalReading({ signal: 'flipDisagreement', noTumour: 'scan', reason: 'the model predicts no tumour in this scan, so the left–right flip disagreement of the tumour has nothing to measure' });
    expect(w).toEqual({
      level: 'noTumour',
      label: 'no tumour predicted',
      advice: 'No reading: the model predicts no tumour in this scan, so the left–right flip disagreement of the tumour has nothing to measure. The model found no tumour in this scan; if you expected one, check the scans and the mask closely.',
    });
    expect(describeSignalReading({ signal: 'flipDisagreement', noTumour: 'flipSlices', reason: 'x' }).label).toBe('no tumour on the slices it reads');
  });
  it('hasTumour: any label but background', () => {
    expect(hasTumour(new Uint8Array(8))).toBe(false);
    expect(hasTumour(Uint8Array.from([0, 0, 4, 0]))).toBe(true);
  });
  it('the summary of an empty mask: 0 mL, the mask named as tumour-free, the signal without a value', async () => {
    const { caseSummaryMasks } = await import('./index.ts');
    const grid = { dims: [4, 1, 1] as const, spacingMm: [1, 1, 1] as const, voxelMl: 0.001 };
    const s = caseSummaryMasks(
      [{ name: 'Baseline', labels: new Uint8Array(4) }, { name: 'Edited', labels: Uint8Array.from([0, 2, 0, 0]) }],
      grid, null,
      { signal: 'flipDisagreement', noTumour: 'scan', reason: 'the model predicts no tumour in this scan' },
      'baseline kept without adapting: the model predicts no tumour in this scan',
    );
    expect(s.rows[0].labels.map((l) => l.ml)).toEqual([0, 0, 0]);
    expect(s.rows[0].regions.map((r) => r.ml)).toEqual([0, 0, 0]);
    expect(s.noTumourIn).toEqual(['Baseline']);
    expect(s.signal).toMatchObject({ level: 'noTumour', value: null, percentile: null, name: 'Left–right disagreement' });
  });
});

describe('lossCurvesCsv', () => {
  it('writes one row per mode and iteration and marks the kept one', () => {
    const csv = lossCurvesCsv([
      { mode: 'normalizer', lossCurve: [0.5, 0.25, 0.375], chosenIteration: 1 },
      { mode: 'bn', lossCurve: [0.5, 0.125], chosenIteration: 1 },
    ]);
    expect(csv.trim().split('\n')).toEqual([
      'mode,iteration,loss,chosen',
      'normalizer,0,0.5,0',
      'normalizer,1,0.25,1',
      'normalizer,2,0.375,0',
      'bn,0,0.5,0',
      'bn,1,0.125,1',
    ]);
  });
});

describe('caseStem', () => {
  it('takes the common prefix of the case files', () => {
    expect(caseStem(['BraTS2021_00324_t1.nii.gz', 'BraTS2021_00324_t1ce.nii.gz', 'BraTS2021_00324_flair.nii.gz'])).toBe('BraTS2021_00324');
    expect(caseStem(['case 7/scanA.nii', 'case 7/scanB.nii'])).toBe('scan');
    expect(caseStem(['a.nii', 'b.nii'])).toBe('attune-case');
    expect(caseStem(['only one.nii.gz'])).toBe('only_one');
  });
});

describe('caseFacts', () => {
  it('names the label convention and a non-canonical orientation, nothing for a BraTS-stored case without label', async () => {
    const { makeSyntheticCase } = await import('../synthetic/index.ts');
    const { loadCase } = await import('../case/index.ts');
    const { reorientedCopy } = await import('../testing/reorientedCopy.ts');
    const { readNifti } = await import('../volume/index.ts');
    const { caseFacts } = await import('./caseFacts.ts');
    const c = makeSyntheticCase({ seed: 3 });
    const scans = [c.files.t1, c.files.t1ce, c.files.t2, c.files.flair];
    const plain = (await loadCase(scans)).check.mriCase!;
    expect(caseFacts(plain)).toEqual([]);
    const withLabel = (await loadCase([...scans, c.files.seg])).check.mriCase!;
    expect(caseFacts(withLabel)).toEqual(['Label map: BraTS 2021 (ET = 4) convention detected.']);
    const ras = await Promise.all(scans.map(async (f) => ({ name: f.name, bytes: reorientedCopy(await readNifti(f.bytes, f.name), ['R', 'A', 'S'], f.name) })));
    const facts = caseFacts((await loadCase(ras)).check.mriCase!);
    expect(facts).toEqual(['Stored RAS: the model runs on it reoriented to LPS (no resampling); masks are shown and exported on your grid.']);
  });
});

describe('caseSummaryMasks', () => {
  it('reports volumes per label and region, Dice and HD95 per region, and the signal reading and decision', async () => {
    const { caseSummaryMasks } = await import('./index.ts');
    const dims = [4, 1, 1] as const;
    const ref = Uint8Array.from([1, 2, 4, 0]);
    const pred = Uint8Array.from([1, 2, 2, 0]);
    const s = caseSummaryMasks([{ name: 'A', labels: pred }], { dims, spacingMm: [1, 1, 1], voxelMl: 0.001 }, ref, { signal: 'tumourEntropy', value: 0.3, percentile: 100, trainingMax: 0.2, ratio: 1.5, reference: 'training', referenceScans: 10 }, 'kept the baseline');
    const row = s.rows[0];
    expect(row.labels.map((l) => [l.key, l.voxels])).toEqual([['NCR', 1], ['ED', 2], ['ET', 0]]);
    expect(row.regions.map((r) => [r.key, r.voxels])).toEqual([['ET', 0], ['TC', 1], ['WT', 3]]);
    expect(row.dice).toEqual({ ET: 0, TC: 2 / 3, WT: 1 });
    // ET missing from the prediction: the grid's diagonal; WT identical: 0.
    expect(row.hd95!.ET).toBeCloseTo(Math.hypot(4, 1, 1), 9);
    expect(row.hd95!.WT).toBe(0);
    expect(s.reference!.regions.map((r) => r.voxels)).toEqual([1, 2, 3]);
    expect(s.signal).toMatchObject({ value: 0.3, percentile: 100, level: 'beyond' });
    expect(s.decision).toBe('kept the baseline');
    expect(caseSummaryMasks([{ name: 'A', labels: pred }], { dims, spacingMm: [1, 1, 1], voxelMl: 1 }, null, null)).toMatchObject({ reference: null, signal: null, decision: null, noTumourIn: [], rows: [{ dice: null, hd95: null }] });
  });
});
