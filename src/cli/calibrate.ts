import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { segmentCase, type AttuneModel } from '../core/model/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import {
  FLIP_SLICES, defaultMeasurement, featureReference, featureSignals, measureFeatureMoments, measureFlipDisagreement, tumourEntropy,
  type Calibration, type CalibrationScan,
} from '../core/signals/index.ts';
import { readCaseFolder } from '../node/readCaseFolder.ts';
import { describeIssues } from './describeIssues.ts';
import { cliMemoryPlan } from './memoryPlan.ts';

export const CALIBRATE_FLAGS = ['out', 'slices', 'model', 'backend', 'batch'] as const;
export const CALIBRATION_FILE = 'calibration.json';

/**
 * `attune calibrate <training case folders…>`: measures, with this runtime and model, what
 * every feature signal compares against (shallow-layer brain-voxel moments of each training
 * scan) and the training scans' own signal values, and writes `calibration.json` next to
 * the model. Each scan's feature signals are read against the others (leave-one-out), so the
 * training distribution is not flattered by each scan matching itself.
 */
export async function calibrate(folders: string[], flags: Record<string, string>, model: AttuneModel, modelDir: string, log: (s: string) => void): Promise<Calibration> {
  if (folders.length < 3) throw new Error(`calibrate needs at least 3 training case folders (leave-one-out readings), got ${folders.length}`);
  const measurement = defaultMeasurement(model);
  if (flags.slices) {
    const s = flags.slices === 'all' ? 'all' : Number(flags.slices);
    if (s !== 'all' && !(Number.isInteger(s) && s >= 1)) throw new Error(`--slices must be a positive integer or "all", got "${flags.slices}"`);
    measurement.slices = s;
  }
  const scans: CalibrationScan[] = [];
  for (const folder of folders) {
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
    scans.push({ name: basename(folder), moments, outputs });
    const said = (v: number | undefined, digits: number) => (v === undefined ? 'none (no tumour predicted)' : v.toFixed(digits));
    log(`${basename(folder)}: tumour entropy ${said(outputs.tumourEntropy, 4)}, flip disagreement ${said(outputs.flipDisagreement, 3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  // Leave-one-out feature readings of the training scans themselves.
  for (const scan of scans) Object.assign(scan.outputs, featureSignals(scan.moments, featureReference(scans, [scan.name])));
  const calibration: Calibration = { format: 'attune-calibration', version: 1, modelChecksum: model.checksum, measurement, scans };
  const out = flags.out ?? join(modelDir, CALIBRATION_FILE);
  await writeFile(out, JSON.stringify(calibration, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)) + '\n');
  log(`calibrate: ${scans.length} scans → ${out}`);
  return calibration;
}
