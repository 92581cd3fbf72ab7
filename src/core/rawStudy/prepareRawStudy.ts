import { InputError } from '../inputIssue.ts';
import type { Modality } from '../modality/index.ts';
import { brainMask } from '../preprocess/brainMask.ts';
import { voxelMl } from '../registration/grid.ts';
import { registerStudy, type StudyRegistration, type StudyRegistrationOptions, type StudyVolumes } from '../registration/registerStudy.ts';
import type { Registrar } from '../registration/registrar.ts';
import { resampleNearest } from '../registration/resample.ts';
import type { Grid, ScalarVolume } from '../registration/types.ts';
import { checkRawStudyMemory, estimateRawStudyMemory, RAW_STUDY_BUDGET_BYTES, studyGrids } from './memoryPlan.ts';
import type { SkullStripper } from './skullStripper.ts';

/**
 * A brain mask outside these volumes is not a brain: a failed strip (most of the head, or
 * nothing), a field of view that misses most of the brain, or not a head scan. Adult brains
 * are ~1,000–1,700 mL (FG-6692's HD-BET mask: 1,570 mL); the bounds leave room for children,
 * resections and a cropped top or bottom slab.
 */
export const BRAIN_ML = { min: 500, max: 2500 } as const;

export interface RawStudyDependencies {
  /** SRI24's T1, skull-stripped, on its own grid. */
  atlas: ScalarVolume;
  registrar: Registrar;
  stripper: SkullStripper;
}

export interface RawStudyOptions extends Omit<StudyRegistrationOptions, 'atlasMoving' | 'onStep'> {
  /**
   * The series are skull-stripped already (zero outside the brain, e.g. HD-BET output): the
   * T1Gd's non-zero voxels are its brain mask, and nothing is stripped twice.
   */
  alreadyStripped?: boolean;
  /**
   * What the preparation may hold at once (default `RAW_STUDY_BUDGET_BYTES`, the tab's plan);
   * a study whose estimate is larger is refused before anything is allocated.
   */
  memoryBudgetBytes?: number;
  /** Called as each step starts, with its name. */
  onStep?: (step: string) => void;
  /** Skull stripping's own progress (the longest step). */
  onStripProgress?: (done: number, total: number) => void;
  /** Called between steps (and inside the strip); throw from it to cancel. */
  checkCancelled?: () => void;
}

export interface PreparedStudy {
  /** The atlas grid the four series were resampled onto. */
  grid: Grid;
  /** Each series on the atlas grid, 0 outside the brain mask. */
  onAtlas: Record<Modality, Float32Array>;
  /** The brain mask on the atlas grid (the T1Gd's, carried over by nearest neighbour). */
  brainOnAtlas: Uint8Array;
  /** The brain mask on the T1Gd's own grid, as stripped. */
  brainOnT1ce: Uint8Array;
  t1ceGrid: Grid;
  registration: StudyRegistration;
  stripped: 'model' | 'already';
  /** Brain volume on the T1Gd's grid (mL). */
  brainMl: number;
  /** Milliseconds per step, in order. */
  timings: { step: string; ms: number }[];
}

/**
 * Raw study → the model's input on the atlas grid: skull-strip the T1Gd on its own grid,
 * register (T1Gd's brain → atlas; T1, T2, FLAIR → T1Gd), resample each series once, apply
 * the brain mask to all four. Refuses, with the reason, a study too large for the memory plan
 * (before anything is allocated) and a brain mask that is no brain.
 */
export async function prepareRawStudy(study: StudyVolumes, deps: RawStudyDependencies, o: RawStudyOptions = {}): Promise<PreparedStudy> {
  const grids = studyGrids(study);
  const tooLarge = checkRawStudyMemory(grids, estimateRawStudyMemory(grids, o.alreadyStripped ? null : deps.stripper, o.outputGrid), o.memoryBudgetBytes ?? RAW_STUDY_BUDGET_BYTES);
  if (tooLarge) throw tooLarge;
  const timings: { step: string; ms: number }[] = [];
  async function step<T>(name: string, run: () => T | Promise<T>): Promise<T> {
    o.checkCancelled?.();
    o.onStep?.(name);
    const t0 = performance.now();
    const out = await run();
    timings.push({ step: name, ms: performance.now() - t0 });
    return out;
  }
  const t1ceGrid = study.t1ce.grid;
  const brainOnT1ce = o.alreadyStripped
    ? await step('brain mask (input already skull-stripped)', () => brainMask([study.t1ce.values], study.t1ce.values.length))
    : await step('skull strip T1Gd', () => deps.stripper.strip(study.t1ce, { onProgress: o.onStripProgress, checkCancelled: o.checkCancelled }));
  const brainMl = count(brainOnT1ce) * voxelMl(t1ceGrid);
  if (brainMl < BRAIN_ML.min || brainMl > BRAIN_ML.max) {
    throw new InputError(
      'implausible-brain-mask',
      `The T1Gd's brain mask is ${Math.round(brainMl)} mL, outside what a brain is (${BRAIN_ML.min}–${BRAIN_ML.max} mL): ` +
        (brainMl < BRAIN_ML.min ? 'the series may not be a head scan, or its field of view misses most of the brain.' : 'skull stripping failed on this series.') +
        ' Nothing was segmented.',
    );
  }
  const registration = await registerStudy(study, deps.atlas, deps.registrar, {
    ...o,
    atlasMoving: { grid: t1ceGrid, values: masked(study.t1ce.values, brainOnT1ce) },
    onStep: (s) => {
      o.checkCancelled?.();
      o.onStep?.(s);
    },
  });
  timings.push(...registration.timings);
  const grid = registration.grid;
  const brainOnAtlas = await step('brain mask onto the atlas grid', () => resampleNearest(brainOnT1ce, t1ceGrid, grid, registration.modalities.t1ce.atlasToNative));
  const onAtlas = Object.fromEntries((['t1', 't1ce', 't2', 'flair'] as const).map((m) => [m, masked(registration.modalities[m].onAtlas, brainOnAtlas)])) as Record<Modality, Float32Array>;
  return { grid, onAtlas, brainOnAtlas, brainOnT1ce, t1ceGrid, registration, stripped: o.alreadyStripped ? 'already' : 'model', brainMl, timings };
}

function masked(values: Float32Array, mask: Uint8Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = mask[i] ? values[i] : 0;
  return out;
}

function count(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}
