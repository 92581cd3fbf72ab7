/**
 * The raw-study pipeline's ground-truth cases (issue 21), in Node on the CLI's backend (wasm),
 * with the code `attune segment` runs (src/core/rawStudy). `bench/rawStudyTruth.ts` writes
 * their records; `bench/rawStudyTruth.test.ts` holds CI to the issue's targets on them.
 * - `fg6692`: the real clinical study (four series on their own 0.9×0.9×5.5 mm grids, with
 *   skull): MindGrab strips the T1Gd, whose brain mask is compared with HD-BET's on the same
 *   grid; the model's mask goes back onto the T1Gd's grid (no expert label exists).
 * - `simulated(case, '1mm' | 'clinical')`: a BraTS case moved by a random rigid motion per
 *   modality onto scanner grids (bench/scannerGrids.ts), already skull-stripped (so the strip
 *   step is the "already stripped" check): the registration error of the T1Gd over the brain
 *   against the pipeline's own placement of the unmoved case, and — when segmenting — the
 *   pipeline's mask on the native T1Gd grid against the same model run on the BraTS original
 *   and carried there by the true motion (WT Dice).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCase } from '../src/core/case/index.ts';
import { dice } from '../src/core/metrics/dice.ts';
import { MODALITIES, type Modality } from '../src/core/modality/index.ts';
import { segmentCase } from '../src/core/model/index.ts';
import { preprocess } from '../src/core/preprocess/index.ts';
import { atlasCaseFiles, maskOnT1ce, prepareRawStudy, studyFromFiles, type PreparedStudy } from '../src/core/rawStudy/index.ts';
import {
  compose, displacement, downsampleForRegistration, foregroundMask, gridOf, invert4, labelMl, maskDice, maskPoints, maskToNative,
  randomMotion, rawToAtlasMap, scalarVolumeOf, scannerGrid, simulateScan, type ScalarVolume, type Vec3,
} from '../src/core/registration/index.ts';
import { isAlreadyStripped } from '../src/core/skullStrip/index.ts';
import { mulberry32 } from '../src/core/synthetic/random.ts';
import { readNifti, type NiftiVolume } from '../src/core/volume/index.ts';
import { DEFAULT_MODEL_DIR } from '../src/cli/main.ts';
import { loadModelDir } from '../src/node/loadModelDir.ts';
import { readCaseFolder } from '../src/node/readCaseFolder.ts';
import { nodeRawStudyDependencies } from '../src/node/rawStudyNode.ts';
import { useNodeBackend } from '../src/node/useNodeBackend.ts';
import { SCANNER_AXES, SCANNER_GRIDS } from './scannerGrids.ts';

const shared = (path: string) => fileURLToPath(new URL(`../../shared/data/${path}`, import.meta.url));
export const FG6692_DIR = shared('raw/TCGA-FG-6692');
export const FG6692_HDBET = join(FG6692_DIR, 'hdbet-native-masks/OtherEXampleFromTCIA_hdbet_mask_native_t1c.nii.gz');
export const BRATS_DIR = shared('brats2021');
/** The BraTS cases the simulation moves, with their motion seeds (the committed records' seeds). */
export const SIMULATED_CASES: Record<string, number> = { BraTS2021_00024: 21, BraTS2021_00324: 22 };
export const rawStudyDataPresent = () => existsSync(FG6692_HDBET) && Object.keys(SIMULATED_CASES).every((c) => existsSync(join(BRATS_DIR, c)));

export const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
const mib = (b: number) => Math.round(b / 2 ** 20);
const read = async (path: string) => readNifti(new Uint8Array(await readFile(path)), basename(path));
export type Step = { step: string; seconds: number; peakRssMiB: number };

/** Runs `run`, recording each named step's seconds and the peak RSS while it ran. */
async function measured<T>(run: (step: (name: string) => void) => Promise<T>): Promise<{ result: T; steps: Step[] }> {
  const steps: Step[] = [];
  let current: { step: string; t0: number; peak: number } | null = null;
  const close = () => {
    if (current) steps.push({ step: current.step, seconds: round((performance.now() - current.t0) / 1000, 1), peakRssMiB: mib(Math.max(current.peak, process.memoryUsage().rss)) });
  };
  const timer = setInterval(() => current && (current.peak = Math.max(current.peak, process.memoryUsage().rss)), 200);
  try {
    const result = await run((name) => {
      close();
      current = { step: name, t0: performance.now(), peak: process.memoryUsage().rss };
    });
    close();
    return { result, steps };
  } finally {
    clearInterval(timer);
  }
}

export interface Fg6692Run {
  record: {
    scan: 'fg6692';
    what: string;
    steps: Step[];
    brain: { stripped: PreparedStudy['stripped']; ml: number; hdbetMl: number; diceVsHdbetNativeT1Gd: number };
    registration: Record<Modality, { brainDice: number; nmi: number; problem: string | null }>;
    tumourMl: { atlasGrid: number; nativeT1Gd: number };
  };
  /** The T1Gd as read, and the model's mask on its grid (what `segment --out` writes). */
  t1ce: NiftiVolume;
  native: Uint8Array;
}

export interface SimulatedRun {
  record: {
    scan: string;
    what: string;
    steps: Step[];
    registration: { t1ceErrorMm: { brainMean: number; brainMax: number } } & Partial<Record<Modality, { brainDice: number; problem: string | null }>>;
    /** Null when the run did not segment (the CI test of clinical grids checks registration only). */
    wtDiceVsModelOnOriginal: number | null;
    tumourMl: { original: number; atlasGrid: number; nativeT1Gd: number; originalOnNative: number } | null;
  };
}

/** Loads the pipeline's dependencies, the wasm backend and the shipped model once; then runs cases. */
export async function rawStudyCases() {
  const deps = await nodeRawStudyDependencies();
  await useNodeBackend('wasm');
  const model = await loadModelDir(DEFAULT_MODEL_DIR);
  const segment = async (files: { name: string; bytes: Uint8Array }[]) => {
    const { check } = await loadCase(files);
    if (!check.mriCase) throw new Error(check.issues.map((i) => i.message).join(' '));
    return (await segmentCase(model.weights, model.arch, preprocess(check.mriCase.modalities), { batchSize: 8 })).labels;
  };
  const wtMl = (mask: ArrayLike<number>, grid: Parameters<typeof labelMl>[1]) => round([...labelMl(mask, grid).values()].reduce((a, b) => a + b, 0), 2);

  async function fg6692(): Promise<Fg6692Run> {
    let t1ce!: NiftiVolume;
    const { result, steps } = await measured(async (step) => {
      step('read + check the four series');
      const { files } = await readCaseFolder(FG6692_DIR);
      const study = studyFromFiles(files);
      t1ce = files.find((f) => f.role === 't1ce')!.volume!;
      const prepared = await prepareRawStudy(study, deps, { alreadyStripped: isAlreadyStripped(t1ce), onStep: step });
      step('segment (source model, atlas grid)');
      const labels = await segment(atlasCaseFiles(prepared, 'fg6692'));
      step('mask back onto the T1Gd grid');
      const native = maskOnT1ce(prepared, labels);
      return { prepared, labels, native };
    });
    const hdbet = await read(FG6692_HDBET);
    const reference = Uint8Array.from(hdbet.data as ArrayLike<number>, (v) => (v > 0 ? 1 : 0));
    const p: PreparedStudy = result.prepared;
    return {
      record: {
        scan: 'fg6692',
        what: 'TCGA-FG-6692 as the scanner wrote it: four series, 0.9×0.9×5.5 mm, 26 slices, own grids, with skull',
        steps,
        brain: { stripped: p.stripped, ml: round(p.brainMl, 1), hdbetMl: wtMl(reference, gridOf(hdbet)), diceVsHdbetNativeT1Gd: round(maskDice(p.brainOnT1ce, reference), 4) },
        registration: Object.fromEntries(MODALITIES.map((m) => [m, { brainDice: round(p.registration.modalities[m].quality.brainDice), nmi: round(p.registration.modalities[m].quality.nmi), problem: p.registration.modalities[m].problem }])) as Fg6692Run['record']['registration'],
        tumourMl: { atlasGrid: wtMl(result.labels, p.grid), nativeT1Gd: wtMl(result.native, p.t1ceGrid) },
      },
      t1ce,
      native: result.native,
    };
  }

  async function simulated(name: string, kind: '1mm' | 'clinical', seed = SIMULATED_CASES[name], o: { segment?: boolean } = {}): Promise<SimulatedRun> {
    const segmenting = o.segment ?? true;
    const dir = join(BRATS_DIR, name);
    const volumes = {} as Record<Modality, ScalarVolume>;
    const niftis = await Promise.all(MODALITIES.map((m) => read(join(dir, `${name}_${m}.nii.gz`))));
    MODALITIES.forEach((m, i) => (volumes[m] = scalarVolumeOf(niftis[i])));
    const atlasGrid = gridOf(niftis[0]);
    const brain = foregroundMask(volumes.t1ce.values, 1e-6);
    const points = maskPoints(brain, atlasGrid, 3);
    const centre = points.reduce((a, q) => [a[0] + q[0] / points.length, a[1] + q[1] / points.length, a[2] + q[2] / points.length], [0, 0, 0]) as Vec3;
    const uniform = mulberry32(seed);
    const raw = {} as Record<Modality, ScalarVolume>;
    const truth = {} as Record<Modality, number[][]>;
    MODALITIES.forEach((m, n) => {
      const motion = randomMotion(uniform, 12, 15);
      const rawToAtlas = rawToAtlasMap(motion, centre);
      const offset = [0, 1, 2].map(() => (2 * uniform() - 1) * 10) as Vec3;
      const grid = scannerGrid({ ...SCANNER_GRIDS[kind][n], axes: SCANNER_AXES[n], centreMm: offset });
      raw[m] = { grid, values: simulateScan(volumes[m], grid, rawToAtlas) };
      truth[m] = invert4(rawToAtlas);
    });
    // The same model on the BraTS original, carried onto the native T1Gd grid by the true motion.
    const onOriginal = segmenting ? await segment(await Promise.all(MODALITIES.map(async (m) => ({ name: `${name}_${m}.nii.gz`, bytes: new Uint8Array(await readFile(join(dir, `${name}_${m}.nii.gz`))) })))) : null;
    const { result, steps } = await measured(async (step) => {
      const prepared = await prepareRawStudy(raw, deps, { alreadyStripped: true, onStep: step });
      if (!segmenting) return { prepared, native: null, labels: null };
      step('segment (source model, atlas grid)');
      const labels = await segment(atlasCaseFiles(prepared, name));
      step('mask back onto the T1Gd grid');
      return { prepared, native: maskOnT1ce(prepared, labels), labels };
    });
    // Where the pipeline places the unmoved case (brain to brain; BraTS placed it head to atlas).
    const placement = await deps.registrar.registerRigid(downsampleForRegistration(deps.atlas, 2), downsampleForRegistration(volumes.t1ce, 2));
    const error = displacement(result.prepared.registration.modalities.t1ce.atlasToNative, compose(placement, truth.t1ce), points);
    const reference = onOriginal ? maskToNative(onOriginal, atlasGrid, raw.t1ce.grid, truth.t1ce) : null;
    return {
      record: {
        scan: `${name}-${kind}`,
        what: `${name} moved by a random rigid motion per modality onto ${kind === '1mm' ? '1 mm' : '0.9×0.9×5 mm'} scanner grids (seed ${seed}), skull-stripped already`,
        steps,
        registration: {
          t1ceErrorMm: { brainMean: round(error.meanMm), brainMax: round(error.maxMm) },
          ...Object.fromEntries(MODALITIES.map((m) => [m, { brainDice: round(result.prepared.registration.modalities[m].quality.brainDice), problem: result.prepared.registration.modalities[m].problem }])),
        },
        wtDiceVsModelOnOriginal: result.native && reference ? round(dice(result.native, reference, [1, 2, 4]) ?? NaN, 4) : null,
        tumourMl: onOriginal && reference && result.labels && result.native
          ? { original: wtMl(onOriginal, atlasGrid), atlasGrid: wtMl(result.labels, result.prepared.grid), nativeT1Gd: wtMl(result.native, raw.t1ce.grid), originalOnNative: wtMl(reference, raw.t1ce.grid) }
          : null,
      },
    };
  }

  return { fg6692, simulated };
}
