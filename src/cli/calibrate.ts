import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { segmentCase, type AttuneModel } from '../core/model/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import {
  FLIP_SLICES, defaultMeasurement, featureReference, featureSignals, measureFeatureMoments, measureFlipDisagreement, parseCalibration, tumourEntropy,
  type Calibration, type CalibrationScan,
} from '../core/signals/index.ts';
import { readCaseFolder } from '../node/readCaseFolder.ts';
import { describeIssues } from './describeIssues.ts';
import { cliMemoryPlan } from './memoryPlan.ts';

export const CALIBRATE_FLAGS = ['out', 'slices', 'model', 'backend', 'batch', 'untrained'] as const;
export const CALIBRATION_FILE = 'calibration.json';

/**
 * `attune calibrate <training case folders…> [--untrained <folder>,<folder>…]`: measures, with
 * this runtime and model, what every feature signal compares against (shallow-layer
 * brain-voxel moments of each training scan) and the training scans' own signal values, and
 * writes `calibration.json` next to the model. Each training scan's feature signals are read
 * against the others (leave-one-out), so the training distribution is not flattered by each
 * scan matching itself. `--untrained` adds scans the model did not train on (issue 23): a new
 * scan's signals are read against those, because a model's own training scans read lower
 * than any scan it has not seen. Without training folders, `--untrained` keeps the existing
 * calibration's training scans (same model) and replaces its untrained ones.
 */
export async function calibrate(folders: string[], flags: Record<string, string>, model: AttuneModel, modelDir: string, log: (s: string) => void): Promise<Calibration> {
  const untrained = flags.untrained ? flags.untrained.split(',').map((f) => f.trim()).filter(Boolean) : [];
  const out = flags.out ?? join(modelDir, CALIBRATION_FILE);
  const kept = folders.length === 0 && untrained.length ? await existingTraining(out, model) : null;
  if (!kept && folders.length < 3) throw new Error(`calibrate needs at least 3 training case folders (leave-one-out readings), got ${folders.length}`);
  if (untrained.length === 1) throw new Error('--untrained needs at least 2 case folders (a reading compares against the highest of them)');
  const measurement = kept?.measurement ?? defaultMeasurement(model);
  if (flags.slices) {
    const s = flags.slices === 'all' ? 'all' : Number(flags.slices);
    if (s !== 'all' && !(Number.isInteger(s) && s >= 1)) throw new Error(`--slices must be a positive integer or "all", got "${flags.slices}"`);
    measurement.slices = s;
  }
  const scans: CalibrationScan[] = kept ? [...kept.scans] : [];
  const measured: CalibrationScan[] = [];
  for (const [i, folder] of [...folders, ...untrained].entries()) {
    const t0 = performance.now();
    const { check } = await readCaseFolder(folder);
    if (!check.mriCase) throw new Error(`${folder}: ${describeIssues(check.issues)}`);
    const pre = preprocess(check.mriCase.modalities);
    const plan = cliMemoryPlan(model, pre, [], flags.batch ? Number(flags.batch) : 8, flags.backend === 'cpu' ? 'cpu' : 'wasm');
    const seg = await segmentCase(model.weights, model.arch, pre, { batchSize: plan.batchSize, measureUncertainty: true, postprocess: false });
    const moments = await measureFeatureMoments(model, pre, { ...measurement, passSize: plan.batchSize });
    const flip = await measureFlipDisagreement(model.weights, model.arch, pre, { slices: FLIP_SLICES, passSize: plan.batchSize });
    const u = seg.uncertainty!;
    // A tumour signal without a tumour to measure is left out, not written as a number: the
    // reading takes the training values that exist (and needs two).
    const outputs: Record<string, number> = { brainEntropy: u.brainEntropy, tumourVoxels: u.tumourVoxels };
    if (u.tumourVoxels > 0) outputs.tumourEntropy = tumourEntropy(u);
    if (flip !== null) outputs.flipDisagreement = flip;
    measured.push({ name: basename(folder), trained: i < folders.length, moments, outputs });
    const said = (v: number | undefined, digits: number) => (v === undefined ? 'none (no tumour predicted)' : v.toFixed(digits));
    log(`${basename(folder)}: tumour entropy ${said(outputs.tumourEntropy, 4)}, flip disagreement ${said(outputs.flipDisagreement, 3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const training = [...scans, ...measured.filter((s) => s.trained)];
  // Leave-one-out feature readings of the training scans themselves; untrained scans read against all of them.
  for (const scan of measured) {
    Object.assign(scan.outputs, featureSignals(scan.moments, featureReference(training, scan.trained ? [scan.name] : [])));
    scans.push(scan);
  }
  const calibration: Calibration = { format: 'attune-calibration', version: 1, modelChecksum: model.checksum, measurement, scans };
  await writeFile(out, JSON.stringify(calibration, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)) + '\n');
  log(`calibrate: ${training.length} training scans, ${scans.length - training.length} not trained on → ${out}`);
  return calibration;
}

/** The training scans of the calibration at `path`, to keep while only untrained scans are (re)measured. */
async function existingTraining(path: string, model: AttuneModel): Promise<Pick<Calibration, 'measurement' | 'scans'>> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(`${path} is missing: --untrained without training folders adds to an existing calibration; give the training folders too`);
  });
  const c = parseCalibration(JSON.parse(text), model.checksum);
  return { measurement: c.measurement, scans: c.scans.filter((s) => s.trained !== false) };
}
