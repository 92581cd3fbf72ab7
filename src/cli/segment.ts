import { writeFile } from 'node:fs/promises';
import { LABEL_CONVENTIONS, fromInternalLabels, parseLabelConvention, type LabelConvention } from '../core/labels/index.ts';
import { allDice } from '../core/metrics/dice.ts';
import type { AttuneModel } from '../core/model/index.ts';
import { orientationName } from '../core/orientation/index.ts';
import { brainMask, preprocess } from '../core/preprocess/index.ts';
import { adaptAndSegment, parseMode } from '../core/tta/index.ts';
import { DEFAULT_POLICY, autoAdapt, isNoTumour, referenceWord } from '../core/decision/index.ts';
import { brainReferenceTensors, disposeReference, type Calibration } from '../core/signals/index.ts';
import { physicalValues, voxelVolumeMl, writeNifti } from '../core/volume/index.ts';
import type { MriCase } from '../core/case/types.ts';
import { maskOnT1ce, needsRawPipeline } from '../core/rawStudy/index.ts';
import { prepareRawForCli } from './rawStudy.ts';
import { labelVolumes } from '../core/metrics/labelVolumes.ts';
import { regionVolumes } from '../core/metrics/regionVolumes.ts';
import { describeIssues } from './describeIssues.ts';
import { loadScan } from './loadScan.ts';
import { cliMemoryPlan } from './memoryPlan.ts';
import { settingsFromFlags } from './settings.ts';

export const SEGMENT_FLAGS = ['mode', 'out', 'atlas-out', 'brain-out', 'iterations', 'lr', 'optimizer', 'slices', 'model', 'backend', 'batch', 'layers', 'pixels', 'labels'] as const;
export const SEGMENT_SWITCHES = ['no-postprocess'] as const;

/**
 * `attune segment <files or folder> [--mode auto] --out mask.nii.gz [--atlas-out f] [--brain-out f]
 * [--labels 2021|2023]`: one scan (NIfTI, or a DICOM study: loadScan.ts) → a mask on the input's
 * grid and header, in the label convention asked for (default: the label map's, if one is
 * given, else BraTS 2021). With a label map, Dice is logged too. `auto` (the default) adapts
 * only when the evidence says so and logs why. A raw study (own grids, with skull: rawStudy.ts)
 * is skull-stripped, registered and resampled onto the SRI24 grid first; `--out` is then the
 * mask on the T1Gd's own grid, `--atlas-out` the mask on the atlas grid, `--brain-out` the
 * brain mask there. BraTS-ready input is in atlas space already: both are on its grid.
 */
export async function segment(inputs: string[], flags: Record<string, string>, model: AttuneModel, calibration: Calibration | null, log: (s: string) => void): Promise<void> {
  if (!flags.out) throw new Error('--out <mask.nii.gz> is required');
  if (!/\.nii(\.gz)?$/i.test(flags.out)) throw new Error(`--out must end in .nii or .nii.gz, got "${flags.out}"`);
  const modeName = flags.mode ?? 'auto';
  const mode = modeName === 'auto' ? 'auto' : parseMode(modeName);
  const asked = flags.labels === undefined ? null : parseLabelConvention(flags.labels);
  if (flags.labels !== undefined && !asked) throw new Error(`--labels must be 2021 (ET = 4) or 2023 (ET = 3), got "${flags.labels}"`);
  // NIfTI as before, or a DICOM study converted and assigned as in the app (loadScan.ts).
  for (const f of ['atlas-out', 'brain-out']) if (flags[f] !== undefined && !/\.nii(\.gz)?$/i.test(flags[f])) throw new Error(`--${f} must end in .nii or .nii.gz, got "${flags[f]}"`);
  const loaded = await loadScan(inputs, log);
  // A raw study's refusals (own grids, skull) send it through the raw pipeline; any other error stays one.
  const raw = !loaded.check.mriCase && needsRawPipeline(loaded.check.issues, loaded.files) ? await asRawStudy(loaded, log) : null;
  const mri = raw?.mri ?? loaded.check.mriCase;
  if (!mri) throw new Error(describeIssues(loaded.check.issues));
  const pre = preprocess(mri.modalities);
  if (!pre.orientation.identity) log(`scan stored ${orientationName(pre.orientation)}: segmented in the model's LPS orientation, mask written on the input's grid`);
  if (mri.label) log(`label map: ${mri.labelConvention ? LABEL_CONVENTIONS[mri.labelConvention].name : 'no ET voxel (reads the same in BraTS 2021 and 2023+)'}`);
  // The same memory plan as the app's worker: Node's wasm heap has the same 4 GiB ceiling.
  const backend = flags.backend === 'cpu' ? 'cpu' : 'wasm';
  const requested = mode === 'auto' ? DEFAULT_POLICY.candidates.map((c) => c.settings) : [settingsFromFlags(mode, flags)];
  const plan = cliMemoryPlan(model, pre, requested, flags.batch ? Number(flags.batch) : 8, backend);
  plan.notices.forEach(log);
  const s0 = plan.settings[0];
  plan.settings.forEach((s, i) => {
    if (plan.adaptBatchSizes[i] < s.statsSlices) log(`${s.mode}: all ${s.statsSlices} statistics slices, ${plan.adaptBatchSizes[i]} per pass (memory plan for the ${backend} backend; same result, less memory)`);
  });
  let segmentation;
  if (mode === 'auto') {
    const result = await autoAdapt(model, pre, calibration, DEFAULT_POLICY, {
      batchSize: plan.batchSize,
      adaptBatchSizeFor: (i) => plan.adaptBatchSizes[i],
      settingsFor: (_s, i) => plan.settings[i],
      postprocess: !flags['no-postprocess'],
      onIteration: (i, l, variant) => log(`${variant} iteration ${i}: loss ${l.toFixed(5)}`),
    });
    segmentation = result.segmentation;
    const r = result.decision.reading;
    if (r && isNoTumour(r)) log(`${r.signal}: no reading (${r.reason})`);
    else if (r) log(`${r.signal} ${r.value.toFixed(4)} (${referenceWord(r)}s' highest ${r.trainingMax.toFixed(4)}, percentile ${r.percentile.toFixed(0)} of ${r.referenceScans})`);
    for (const c of result.decision.candidates) log(`auto candidate ${c.reason}`);
    log(`auto: ${result.decision.reason}`);
  } else {
    const brainReference = s0.pixels === 'brain' ? brainReferenceOrThrow(calibration) : undefined;
    const run = await adaptAndSegment(model, pre, s0, {
      batchSize: plan.batchSize,
      adaptBatchSize: plan.adaptBatchSizes[0],
      onIteration: (i, l) => log(`iteration ${i}: loss ${l.toFixed(5)}`),
      postprocess: !flags['no-postprocess'],
      brainReference,
    }).finally(() => brainReference && disposeReference(brainReference));
    segmentation = run.segmentation;
    log(`shift score ${run.report.shiftScore.toFixed(4)}, kept iteration ${run.report.chosenIteration}`);
  }
  const convention: LabelConvention = asked ?? mri.labelConvention ?? 'brats2021';
  const mask = fromInternalLabels(segmentation.labels, convention);
  const write = (path: string, template: Parameters<typeof writeNifti>[0], data: Uint8Array, what: string) =>
    writeFile(path, writeNifti(template, data, { description: `Attune ${what}`, gzip: /\.gz$/i.test(path), intentCode: 1002 }));
  if (raw) {
    const native = maskOnT1ce(raw.prepared, segmentation.labels);
    await write(flags.out, raw.t1ce, fromInternalLabels(native, convention), `${mode} mask (T1Gd grid)`);
    log(`on the T1Gd's own grid (${raw.t1ce.dims.join('×')}): ${tumourVolumeLine(native, voxelVolumeMl(raw.t1ce))}`);
    log(`on the atlas grid: ${tumourVolumeLine(segmentation.labels, voxelVolumeMl(mri.modalities.t1))}`);
    log(`(the two differ by what nearest-neighbour resampling onto ${raw.t1ce.spacingMm.map((v) => v.toFixed(2)).join('×')} mm voxels adds or drops at the tumour's edge)`);
  } else {
    await write(flags.out, mri.modalities.t1, mask, `${mode} mask`);
    log(tumourVolumeLine(segmentation.labels, voxelVolumeMl(mri.modalities.t1)));
  }
  // BraTS-ready input is on the atlas grid already: the atlas mask is the mask, the brain its non-zero voxels.
  if (flags['atlas-out']) await write(flags['atlas-out'], mri.modalities.t1, mask, `${mode} mask (atlas grid)`);
  if (flags['brain-out']) await write(flags['brain-out'], mri.modalities.t1, raw ? raw.prepared.brainOnAtlas : brainOf(mri), 'brain mask (atlas grid)');
  if (mri.label) {
    const dice = allDice(segmentation.labels, mri.label.data as ArrayLike<number>);
    log(`Dice ${Object.entries(dice).map(([k, v]) => `${k} ${v === null ? '–' : v.toFixed(4)}`).join(', ')}`);
  }
  log(`wrote ${[flags.out, flags['atlas-out'], flags['brain-out']].filter(Boolean).join(', ')} (labels ${LABEL_CONVENTIONS[convention].name})`);
}

/**
 * A drop refused only as a raw study would be is prepared as one; if that fails too, the
 * message says both: why it is not BraTS-ready, and why it could not be prepared.
 */
async function asRawStudy(loaded: Awaited<ReturnType<typeof loadScan>>, log: (s: string) => void) {
  try {
    return await prepareRawForCli(loaded.files, log);
  } catch (e) {
    throw new Error(`${describeIssues(loaded.check.issues)} Tried as a raw study (skull strip, registration to SRI24): ${(e as Error).message}`);
  }
}

/** The brain of a skull-stripped case: voxels non-zero in any modality (core's brainMask). */
function brainOf(mri: MriCase): Uint8Array {
  return brainMask(Object.values(mri.modalities).map(physicalValues), mri.modalities.t1.data.length);
}

export function brainReferenceOrThrow(calibration: Calibration | null) {
  if (!calibration) throw new Error('--pixels brain aligns to the calibrated brain-pixel reference, and this model has no calibration.json: run `attune calibrate <training case folders>`');
  return brainReferenceTensors(calibration);
}

/** The mask's tumour volume per label and whole tumour, or "no tumour found": an empty mask is an answer, said as one. */
export function tumourVolumeLine(labels: Uint8Array, voxelMl: number): string {
  const wt = regionVolumes(labels, voxelMl).find((r) => r.key === 'WT')!;
  if (wt.voxels === 0) return 'no tumour found: the mask has no tumour voxel (NCR, ED, ET 0 mL)';
  const perLabel = labelVolumes(labels, voxelMl).map((l) => `${l.key} ${l.ml.toFixed(1)} mL`).join(', ');
  return `tumour volume: ${perLabel}; whole tumour ${wt.ml.toFixed(1)} mL`;
}
