import { describe, expect, it } from 'vitest';
import { loadCase } from '../case/index.ts';
import { InputError } from '../inputIssue.ts';
import {
  applyToPoint, compose, identity4, invert4, maskDice, rotationX, rotationZ, translation,
  type Grid, type Mat4, type Registrar, type ScalarVolume, type StudyVolumes, type Vec3,
} from '../registration/index.ts';
import { headPhantomValue, sampleOnGrid } from '../registration/testing/headPhantom.ts';
import { atlasCaseFiles, maskOnT1ce, needsRawPipeline, prepareRawStudy, type SkullStripper } from './index.ts';

const deg = (d: number) => (d * Math.PI) / 180;
const inBrain = ([x, y, z]: readonly number[]) => (x / 55) ** 2 + (y / 65) ** 2 + (z / 50) ** 2 <= 1;
const inHead = ([x, y, z]: readonly number[]) => (x / 68) ** 2 + (y / 78) ** 2 + (z / 63) ** 2 <= 1;
/** The phantom brain inside a bright skull shell and scalp, as a raw head series shows it. */
const headValue = (p: readonly number[], contrast = 1) => (inBrain(p) ? headPhantomValue(p, contrast) : inHead(p) ? 150 : 0);

function grid(dims: [number, number, number], spacing: Vec3, tiltDeg: number): Grid {
  const axes = [[spacing[0], 0, 0, 0], [0, spacing[1], 0, 0], [0, 0, spacing[2], 0], [0, 0, 0, 1]];
  return { dims, affine: compose(translation(dims.map((d) => -(d - 1) / 2)), axes, rotationX(deg(tiltDeg)), rotationZ(deg(tiltDeg / 2))) };
}

/** A raw series: the head as a scanner placed by `seriesToHead` records it on `g`. */
const series = (g: Grid, seriesToHead: Mat4, contrast = 1): ScalarVolume => ({ grid: g, values: sampleOnGrid(g, (q) => headValue(applyToPoint(seriesToHead, q), contrast)) });

describe('prepareRawStudy (registrar stubbed with the known motions, a stripper that knows the brain)', () => {
  const atlasGrid = grid([60, 68, 56], [2.5, 2.5, 2.5], 0);
  const atlas: ScalarVolume = { grid: atlasGrid, values: sampleOnGrid(atlasGrid, (p) => (inBrain(p) ? headPhantomValue(p) : 0)) };
  const motion: Record<keyof StudyVolumes, Mat4> = {
    t1: compose(rotationX(deg(6)), translation([4, -3, 2])),
    t1ce: compose(rotationZ(deg(-9)), translation([-6, 5, 8])),
    t2: compose(rotationX(deg(-4)), translation([2, 2, -5])),
    flair: compose(rotationZ(deg(5)), translation([0, -4, 3])),
  };
  const grids: Record<keyof StudyVolumes, Grid> = {
    t1: grid([80, 92, 30], [2, 2, 5], 4),
    t1ce: grid([84, 96, 32], [1.9, 1.9, 5], -6),
    t2: grid([78, 90, 31], [2.1, 2.1, 5], 2),
    flair: grid([82, 94, 29], [2, 2, 5.2], 0),
  };
  const study = Object.fromEntries(Object.keys(grids).map((m) => [m, series(grids[m as keyof StudyVolumes], motion[m as keyof StudyVolumes], m === 't2' ? -1 : 1)])) as StudyVolumes;
  const whichSeries = (v: ScalarVolume) => (Object.keys(grids) as (keyof StudyVolumes)[]).find((m) => v.grid.dims[2] === grids[m].dims[2]);
  const registrar: Registrar = {
    async registerRigid(fixed, moving) {
      const m = whichSeries(moving)!;
      return compose(whichSeries(fixed) ? motion.t1ce : identity4(), invert4(motion[m]));
    },
  };
  /** Knows where the brain is in each series (a model's job; here the truth), and records what it was given. */
  const seen: ScalarVolume[] = [];
  const stripper: SkullStripper = {
    async strip(head) {
      seen.push(head);
      const m = whichSeries(head)!;
      return Uint8Array.from(sampleOnGrid(head.grid, (q) => (inBrain(applyToPoint(motion[m], q)) ? 1 : 0)));
    },
  };
  const truthOnAtlas = Uint8Array.from(sampleOnGrid(atlasGrid, (p) => (inBrain(p) ? 1 : 0)));

  it('strips the T1Gd on its own grid, registers its brain to the atlas, and applies the mask to all four on the atlas grid', async () => {
    seen.length = 0;
    const steps: string[] = [];
    const p = await prepareRawStudy(study, { atlas, registrar, stripper }, { outputGrid: atlasGrid, registrationMm: 5, onStep: (s) => steps.push(s) });
    expect(seen.map((v) => v.grid)).toEqual([grids.t1ce]); // one strip, the T1Gd's
    expect(steps.slice(0, 3)).toEqual(['skull strip T1Gd', 'downsample', 'register T1Gd → atlas']);
    expect(steps.at(-1)).toBe('brain mask onto the atlas grid');
    expect(p.timings.map((t) => t.step)).toEqual(steps);
    expect(maskDice(p.brainOnAtlas, truthOnAtlas)).toBeGreaterThan(0.95);
    for (const m of ['t1', 't1ce', 't2', 'flair'] as const) {
      expect(p.registration.modalities[m].problem, m).toBeNull();
      // Nothing of the skull survives: every voxel outside the brain mask is 0.
      expect(p.onAtlas[m].every((v, i) => p.brainOnAtlas[i] === 1 || v === 0), m).toBe(true);
      const inside = p.onAtlas[m].filter((_, i) => p.brainOnAtlas[i] === 1);
      expect(inside.filter((v) => v > 120).length / inside.length, `${m}: skull intensity inside the mask`).toBeLessThan(0.05);
    }
    expect(p.brainMl).toBeGreaterThan(650);
    expect(p.brainMl).toBeLessThan(850); // the ellipsoid: 4/3·π·55·65·50 mm³ = 749 mL
    expect(p.stripped).toBe('model');
  });

  it('the prepared study reads back as a BraTS-ready case on the atlas grid, and a mask goes back onto the T1Gd grid', async () => {
    const p = await prepareRawStudy(study, { atlas, registrar, stripper }, { outputGrid: atlasGrid, registrationMm: 5 });
    const { check } = await loadCase(atlasCaseFiles(p, 'FG'));
    expect(check.issues.filter((i) => i.severity === 'error').map((i) => i.code).filter((c) => c !== 'not-1mm-grid')).toEqual([]);
    const onT1ce = maskOnT1ce(p, p.brainOnAtlas);
    expect(onT1ce).toHaveLength(grids.t1ce.dims[0] * grids.t1ce.dims[1] * grids.t1ce.dims[2]);
    expect(maskDice(onT1ce, p.brainOnT1ce)).toBeGreaterThan(0.9); // 2.5 mm atlas voxels, 5 mm slices
  });

  it('input already skull-stripped is not stripped again: its non-zero voxels are the brain', async () => {
    const stripped = Object.fromEntries(Object.entries(study).map(([m, v]) => [m, { grid: v.grid, values: v.values.map((x) => (x === 150 ? 0 : x)) }])) as StudyVolumes;
    const never: SkullStripper = { strip: async () => { throw new Error('stripped twice'); } };
    const p = await prepareRawStudy(stripped, { atlas, registrar, stripper: never }, { outputGrid: atlasGrid, registrationMm: 5, alreadyStripped: true });
    expect(p.stripped).toBe('already');
    expect(p.timings[0].step).toBe('brain mask (input already skull-stripped)');
  });

  it('refuses a brain mask that is no brain, before registering anything', async () => {
    const tiny: SkullStripper = { strip: async (head) => { const m = new Uint8Array(head.values.length); m.fill(1, 0, 500); return m; } };
    let registered = 0;
    const counting: Registrar = { registerRigid: async (f, m) => ((registered++), registrar.registerRigid(f, m)) };
    const error = await prepareRawStudy(study, { atlas, registrar: counting, stripper: tiny }, { outputGrid: atlasGrid }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('implausible-brain-mask');
    expect(error.message).toMatch(/^The T1Gd's brain mask is \d+ mL, outside what a brain is \(500–2500 mL\): the series may not be a head scan/);
    expect(registered).toBe(0);
  });

  it('refuses a study too large for the memory plan before stripping or registering, naming the series and what the memory goes to', async () => {
    let stripped = 0, registered = 0;
    const planned: SkullStripper = { strip: async (h) => ((stripped++), stripper.strip(h)), workingBytes: () => 300 * 2 ** 20 };
    const counting: Registrar = { registerRigid: async (f, m) => ((registered++), registrar.registerRigid(f, m)) };
    const error = await prepareRawStudy(study, { atlas, registrar: counting, stripper: planned }, { outputGrid: atlasGrid, memoryBudgetBytes: 256 * 2 ** 20 }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('study-too-large');
    expect(error.message).toMatch(/^This study is too large to prepare in this tab's memory plan: it needs about \d+ MiB \(skull stripping the T1Gd 300 MiB, /);
    expect(error.message).toContain('more than the 256 MiB planned (series: T1 80×92×30, T1Gd 84×96×32, T2 78×90×31, FLAIR 82×94×29). Nothing was prepared.');
    expect([stripped, registered]).toEqual([0, 0]);
    // The same study within the plan goes through.
    const p = await prepareRawStudy(study, { atlas, registrar, stripper: planned }, { outputGrid: atlasGrid, registrationMm: 5, memoryBudgetBytes: 1024 * 2 ** 20 });
    expect(p.stripped).toBe('model');
  });

  it('cancel between steps stops the run', async () => {
    let steps = 0;
    const error = await prepareRawStudy(study, { atlas, registrar, stripper }, { outputGrid: atlasGrid, registrationMm: 5, onStep: () => steps++, checkCancelled: () => { if (steps >= 2) throw new Error('cancelled'); } }).catch((e) => e);
    expect(error.message).toBe('cancelled');
    expect(steps).toBe(2);
  });
});

describe('needsRawPipeline', () => {
  const issue = (code: string, severity: 'error' | 'warning' = 'error') => ({ code, severity, message: '', files: [] as string[] }) as never as { code: never; severity: 'error' | 'warning'; message: string; files: string[] };
  it('raw-study refusals go to the pipeline; any other error stays an error', () => {
    expect(needsRawPipeline([issue('not-1mm-grid'), issue('not-skull-stripped'), issue('unrecognised-name', 'warning')])).toBe(true);
    expect(needsRawPipeline([issue('dims-mismatch')])).toBe(true);
    expect(needsRawPipeline([issue('not-1mm-grid'), issue('missing-modality')])).toBe(false);
    expect(needsRawPipeline([])).toBe(false);
    // A label map on another grid than the scans is not what a raw study is: no registration of the scans fixes it.
    const labelOff = { ...issue('dims-mismatch'), files: ['C_seg.nii.gz'] };
    expect(needsRawPipeline([labelOff])).toBe(true);
    expect(needsRawPipeline([labelOff], [{ name: 'C_seg.nii.gz', role: 'seg' }, { name: 'C_t1.nii.gz', role: 't1' }])).toBe(false);
  });
});
