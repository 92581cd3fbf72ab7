import { InputError } from '../inputIssue.ts';
import type { Modality } from '../modality/index.ts';
import { downsampleForRegistration } from './downsample.ts';
import { bratsAtlasGrid } from './grid.ts';
import { compose } from './matrix.ts';
import { foregroundMask, poorRegistrationMessage, registrationQuality, type RegistrationPair, type RegistrationQuality } from './quality.ts';
import type { Registrar } from './registrar.ts';
import { resampleLinear, resampleNearest } from './resample.ts';
import type { RigidRegistrationSettings } from './rigidParameterMap.ts';
import type { Grid, ScalarVolume, WorldMap } from './types.ts';

/** The series of one study, each on its own native grid. */
export type StudyVolumes = Record<Modality, ScalarVolume>;

export interface StudyRegistrationOptions {
  /** Grid the four modalities are resampled onto; default the BraTS grid (bratsAtlasGrid). */
  outputGrid?: Grid;
  /** Voxel size (mm) the registration inputs are block-averaged to; default 2. */
  registrationMm?: number;
  settings?: Partial<RigidRegistrationSettings>;
  /** Called as each step starts, with its name (for progress and timings). */
  onStep?: (step: string) => void;
  /**
   * The T1Gd as registered to the skull-stripped atlas: its brain only (raw input keeps the
   * skull in `study.t1ce`, and the T1, T2 and FLAIR register to that, skull to skull: like with
   * like both times). Default `study.t1ce` (input already stripped).
   */
  atlasMoving?: ScalarVolume;
}

export interface ModalityRegistration {
  /** Output (atlas) world → this series' native world: the composed map it was resampled through. */
  atlasToNative: WorldMap;
  /** The series resampled once onto the output grid (linear). */
  onAtlas: Float32Array;
  /** How well it registered: against the atlas (T1Gd) or against the T1Gd (the others). */
  quality: RegistrationQuality;
  pair: RegistrationPair;
  /** A sentence when the registration looks wrong (brain overlap below the bar), else null. */
  problem: string | null;
}

export interface StudyRegistration {
  grid: Grid;
  modalities: Record<Modality, ModalityRegistration>;
  /** Milliseconds per step, in order. */
  timings: { step: string; ms: number }[];
}

const NAMES: Record<Modality, string> = { t1: 'T1', t1ce: 'T1Gd', t2: 'T2', flair: 'FLAIR' };

/**
 * The BraTS preprocessing's registration: T1Gd → atlas, and T1, T2, FLAIR → T1Gd (rigid,
 * mutual information), on ~2 mm copies; then each series is resampled ONCE onto the atlas
 * grid through its composed map (atlas → T1Gd → series), so no series is interpolated
 * twice. Quality is measured for every pair and returned with a sentence when poor; use
 * `throwIfPoorRegistration` where a poor registration must stop the run.
 * `atlas` is the reference image (e.g. SRI24's T1, skull-stripped): the inputs must be
 * skull-stripped too (like with like).
 */
export async function registerStudy(study: StudyVolumes, atlas: ScalarVolume, registrar: Registrar, options: StudyRegistrationOptions = {}): Promise<StudyRegistration> {
  const grid = options.outputGrid ?? bratsAtlasGrid();
  const mm = options.registrationMm ?? 2;
  const timings: { step: string; ms: number }[] = [];
  async function step<T>(name: string, run: () => T | Promise<T>): Promise<T> {
    options.onStep?.(name);
    const t0 = performance.now();
    const out = await run();
    timings.push({ step: name, ms: performance.now() - t0 });
    return out;
  }

  const small = await step('downsample', () => ({
    atlas: downsampleForRegistration(atlas, mm),
    atlasMoving: options.atlasMoving ? downsampleForRegistration(options.atlasMoving, mm) : null,
    t1: downsampleForRegistration(study.t1, mm),
    t1ce: downsampleForRegistration(study.t1ce, mm),
    t2: downsampleForRegistration(study.t2, mm),
    flair: downsampleForRegistration(study.flair, mm),
  }));
  const atlasToT1ce = await step('register T1Gd → atlas', () => registrar.registerRigid(small.atlas, small.atlasMoving ?? small.t1ce, options.settings));
  const toT1ce: Partial<Record<Modality, WorldMap>> = {};
  for (const m of ['t1', 't2', 'flair'] as const) {
    toT1ce[m] = await step(`register ${NAMES[m]} → T1Gd`, () => registrar.registerRigid(small.t1ce, small[m], options.settings));
  }
  const atlasOnGrid = await step('resample atlas', () => resampleLinear(atlas, grid, compose()));

  const modalities = {} as Record<Modality, ModalityRegistration>;
  const t1ceOnAtlas = await step('resample T1Gd', () => resampleLinear(study.t1ce, grid, atlasToT1ce));
  const t1ceMask = foregroundMask(t1ceOnAtlas);
  // The atlas step is judged on what was registered to the atlas: the brain.
  const registeredOnAtlas = options.atlasMoving ? resampleLinear(options.atlasMoving, grid, atlasToT1ce) : t1ceOnAtlas;
  const atlasQuality = registrationQuality(atlasOnGrid, registeredOnAtlas, foregroundMask(atlasOnGrid), foregroundMask(registeredOnAtlas), fieldOfView(study.t1ce.grid, grid, atlasToT1ce));
  modalities.t1ce = {
    atlasToNative: atlasToT1ce,
    onAtlas: t1ceOnAtlas,
    quality: atlasQuality,
    pair: 'toAtlas',
    problem: poorRegistrationMessage('T1Gd onto the atlas', atlasQuality, 'toAtlas'),
  };
  for (const m of ['t1', 't2', 'flair'] as const) {
    const atlasToNative = compose(atlasToT1ce, toT1ce[m]!);
    const onAtlas = await step(`resample ${NAMES[m]}`, () => resampleLinear(study[m], grid, atlasToNative));
    const quality = registrationQuality(t1ceOnAtlas, onAtlas, t1ceMask, undefined, fieldOfView(study[m].grid, grid, atlasToNative));
    modalities[m] = { atlasToNative, onAtlas, quality, pair: 'sameSubject', problem: poorRegistrationMessage(`${NAMES[m]} onto the T1Gd`, quality, 'sameSubject') };
  }
  return { grid, modalities, timings };
}

/** The voxels of `target` that a series on `native` images (its field of view, mapped). */
function fieldOfView(native: Grid, target: Grid, targetToNative: WorldMap): Uint8Array {
  return resampleNearest(new Uint8Array(native.dims[0] * native.dims[1] * native.dims[2]).fill(1), native, target, targetToNative);
}

/** Stops the run with one message naming every poorly registered series. */
export function throwIfPoorRegistration(result: StudyRegistration, files: string[] = []): void {
  const problems = Object.values(result.modalities).map((m) => m.problem).filter((p): p is string => p !== null);
  if (problems.length > 0) throw new InputError('poor-registration', problems.join(' '), files);
}
