/**
 * The raw-study pipeline end to end (issue 21), in Node on the CLI's backend (wasm), with the
 * code `attune segment` runs (src/core/rawStudy): per step the wall time and the peak memory
 * (RSS sampled every 200 ms), and what the result is worth.
 * - `fg6692`: the real clinical study (four series on their own 0.9×0.9×5.5 mm grids, with
 *   skull): MindGrab strips the T1Gd, whose brain mask is compared with HD-BET's on the same
 *   grid; the model's mask goes back onto the T1Gd's grid (no expert label exists).
 * - `<case>-<1mm|clinical>`: a BraTS case moved by a random rigid motion per modality onto
 *   scanner grids (bench/registrationTruth.ts's simulation: its grids and motion ranges), already skull-stripped
 *   (so the strip step is the "already stripped" check): the pipeline's mask on the native
 *   T1Gd grid against the same model run on the BraTS original and carried there by the true
 *   motion (WT Dice), and the registration error of the T1Gd over the brain against the
 *   pipeline's own placement of the unmoved case.
 * One JSON record per scan in bench/runs/rawStudy/node/ (the browser's records, written by
 * scripts/rawStudyScreenshot.ts, are beside it in bench/runs/rawStudy/).
 *
 *   npx tsx bench/rawStudyTruth.ts [--scans fg6692,BraTS2021_00024-1mm,BraTS2021_00024-clinical,…] [--out bench/runs/rawStudy/node]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
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

const { values: args } = parseArgs({
  options: {
    scans: { type: 'string', default: 'fg6692,BraTS2021_00324-1mm,BraTS2021_00324-clinical,BraTS2021_00024-1mm,BraTS2021_00024-clinical' },
    out: { type: 'string', default: 'bench/runs/rawStudy/node' },
    seed: { type: 'string', default: '21' },
  },
});

const FG = '../shared/data/raw/TCGA-FG-6692';
const BRATS = '../shared/data/brats2021';
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
const mib = (b: number) => Math.round(b / 2 ** 20);
const read = async (path: string) => readNifti(new Uint8Array(await readFile(path)), basename(path));

/** Runs `run`, recording each named step's seconds and the peak RSS while it ran. */
async function measured<T>(run: (step: (name: string) => void) => Promise<T>): Promise<{ result: T; steps: { step: string; seconds: number; peakRssMiB: number }[] }> {
  const steps: { step: string; seconds: number; peakRssMiB: number }[] = [];
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

const deps = await nodeRawStudyDependencies();
await useNodeBackend('wasm');
const model = await loadModelDir(DEFAULT_MODEL_DIR);
const segment = async (files: { name: string; bytes: Uint8Array }[]) => {
  const { check } = await loadCase(files);
  if (!check.mriCase) throw new Error(check.issues.map((i) => i.message).join(' '));
  return (await segmentCase(model.weights, model.arch, preprocess(check.mriCase.modalities), { batchSize: 8 })).labels;
};
const wtMl = (mask: ArrayLike<number>, grid: Parameters<typeof labelMl>[1]) => round([...labelMl(mask, grid).values()].reduce((a, b) => a + b, 0), 2);

async function fg6692() {
  let t1ce!: NiftiVolume;
  const { result, steps } = await measured(async (step) => {
    step('read + check the four series');
    const { files } = await readCaseFolder(FG);
    const study = studyFromFiles(files);
    t1ce = files.find((f) => f.role === 't1ce')!.volume!;
    const prepared = await prepareRawStudy(study, deps, { alreadyStripped: isAlreadyStripped(t1ce), onStep: step });
    step('segment (source model, atlas grid)');
    const labels = await segment(atlasCaseFiles(prepared, 'fg6692'));
    step('mask back onto the T1Gd grid');
    const native = maskOnT1ce(prepared, labels);
    return { prepared, labels, native };
  });
  const hdbet = await read(join(FG, 'hdbet-native-masks/OtherEXampleFromTCIA_hdbet_mask_native_t1c.nii.gz'));
  const reference = Uint8Array.from(hdbet.data as ArrayLike<number>, (v) => (v > 0 ? 1 : 0));
  const p: PreparedStudy = result.prepared;
  return {
    scan: 'fg6692',
    what: 'TCGA-FG-6692 as the scanner wrote it: four series, 0.9×0.9×5.5 mm, 26 slices, own grids, with skull',
    steps,
    brain: { stripped: p.stripped, ml: round(p.brainMl, 1), hdbetMl: wtMl(reference, gridOf(hdbet)), diceVsHdbetNativeT1Gd: round(maskDice(p.brainOnT1ce, reference), 4) },
    registration: Object.fromEntries(MODALITIES.map((m) => [m, { brainDice: round(p.registration.modalities[m].quality.brainDice), nmi: round(p.registration.modalities[m].quality.nmi), problem: p.registration.modalities[m].problem }])),
    tumourMl: { atlasGrid: wtMl(result.labels, p.grid), nativeT1Gd: wtMl(result.native, p.t1ceGrid) },
  };
}

async function simulated(name: string, kind: '1mm' | 'clinical', seed: number) {
  const dir = join(BRATS, name);
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
  const originalFiles = await Promise.all(MODALITIES.map(async (m) => ({ name: `${name}_${m}.nii.gz`, bytes: new Uint8Array(await readFile(join(dir, `${name}_${m}.nii.gz`))) })));
  const onOriginal = await segment(originalFiles);
  const reference = maskToNative(onOriginal, atlasGrid, raw.t1ce.grid, truth.t1ce);
  const { result, steps } = await measured(async (step) => {
    const prepared = await prepareRawStudy(raw, deps, { alreadyStripped: true, onStep: step });
    step('segment (source model, atlas grid)');
    const labels = await segment(atlasCaseFiles(prepared, name));
    step('mask back onto the T1Gd grid');
    return { prepared, native: maskOnT1ce(prepared, labels), labels };
  });
  // Where the pipeline places the unmoved case (brain to brain; BraTS placed it head to atlas).
  const placement = await deps.registrar.registerRigid(downsampleForRegistration(deps.atlas, 2), downsampleForRegistration(volumes.t1ce, 2));
  const error = displacement(result.prepared.registration.modalities.t1ce.atlasToNative, compose(placement, truth.t1ce), points);
  return {
    scan: `${name}-${kind}`,
    what: `${name} moved by a random rigid motion per modality onto ${kind === '1mm' ? '1 mm' : '0.9×0.9×5 mm'} scanner grids (seed ${seed}), skull-stripped already`,
    steps,
    registration: {
      t1ceErrorMm: { brainMean: round(error.meanMm), brainMax: round(error.maxMm) },
      ...Object.fromEntries(MODALITIES.map((m) => [m, { brainDice: round(result.prepared.registration.modalities[m].quality.brainDice), problem: result.prepared.registration.modalities[m].problem }])),
    },
    wtDiceVsModelOnOriginal: round(dice(result.native, reference, [1, 2, 4]) ?? NaN, 4),
    tumourMl: { original: wtMl(onOriginal, atlasGrid), atlasGrid: wtMl(result.labels, result.prepared.grid), nativeT1Gd: wtMl(result.native, raw.t1ce.grid), originalOnNative: wtMl(reference, raw.t1ce.grid) },
  };
}

await mkdir(args.out!, { recursive: true });
const seeds: Record<string, number> = { BraTS2021_00024: Number(args.seed), BraTS2021_00324: Number(args.seed) + 1 };
for (const scan of args.scans!.split(',')) {
  const load = loadavg();
  const t0 = performance.now();
  const m = /^(.+)-(1mm|clinical)$/.exec(scan);
  const record = scan === 'fg6692' ? await fg6692() : m ? await simulated(m[1], m[2] as '1mm' | 'clinical', seeds[m[1]] ?? Number(args.seed)) : null;
  if (!record) throw new Error(`unknown scan ${scan}`);
  const full = {
    ...record,
    totalSeconds: round((performance.now() - t0) / 1000, 1),
    backend: 'wasm (Node)',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemGiB: Math.round(totalmem() / 2 ** 30), loadavgBefore: load.map((v) => round(v, 2)), loadavgAfter: loadavg().map((v) => round(v, 2)) },
    node: process.version,
    date: new Date().toISOString(),
  };
  await writeFile(join(args.out!, `${scan}.json`), JSON.stringify(full, null, 1) + '\n');
  console.log(`${scan}: ${JSON.stringify({ steps: full.steps.length, totalSeconds: full.totalSeconds })}`);
}
