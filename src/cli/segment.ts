import { stat, writeFile } from 'node:fs/promises';
import { loadCase } from '../core/case/index.ts';
import type { AttuneModel } from '../core/model/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import { adaptAndSegment, parseMode } from '../core/tta/index.ts';
import { writeNifti } from '../core/volume/index.ts';
import { readCaseFolder, readInputFile } from '../node/readCaseFolder.ts';
import { describeIssues } from './describeIssues.ts';
import { cliMemoryPlan } from './memoryPlan.ts';
import { settingsFromFlags } from './settings.ts';

export const SEGMENT_FLAGS = ['mode', 'out', 'iterations', 'lr', 'optimizer', 'slices', 'model', 'backend', 'batch'] as const;
export const SEGMENT_SWITCHES = ['no-postprocess'] as const;

/** `attune segment <files or folder> --mode bn --out mask.nii.gz`: one scan → a mask on the input's grid and header. */
export async function segment(inputs: string[], flags: Record<string, string>, model: AttuneModel, log: (s: string) => void): Promise<void> {
  if (!flags.out) throw new Error('--out <mask.nii.gz> is required');
  if (!/\.nii(\.gz)?$/i.test(flags.out)) throw new Error(`--out must end in .nii or .nii.gz, got "${flags.out}"`);
  const mode = parseMode(flags.mode ?? 'bn');
  let loaded;
  if (inputs.length === 1 && (await stat(inputs[0])).isDirectory()) loaded = await readCaseFolder(inputs[0]);
  else {
    loaded = await loadCase(await Promise.all(inputs.map(readInputFile)));
  }
  const mri = loaded.check.mriCase;
  if (!mri) throw new Error(describeIssues(loaded.check.issues));
  const pre = preprocess(mri.modalities);
  // The same memory plan as the app's worker: Node's wasm heap has the same 4 GiB ceiling.
  const plan = cliMemoryPlan(model, pre, [settingsFromFlags(mode, flags)], flags.batch ? Number(flags.batch) : 8, flags.backend === 'cpu' ? 'cpu' : 'wasm');
  plan.notices.forEach(log);
  const s0 = plan.settings[0];
  if (plan.adaptBatchSizes[0] < s0.statsSlices) log(`${s0.mode}: all ${s0.statsSlices} statistics slices, ${plan.adaptBatchSizes[0]} per pass (memory plan for the ${flags.backend === 'cpu' ? 'cpu' : 'wasm'} backend; same result, less memory)`);
  const { segmentation, report } = await adaptAndSegment(model, pre, plan.settings[0], {
    batchSize: plan.batchSize,
    adaptBatchSize: plan.adaptBatchSizes[0],
    onIteration: (i, l) => log(`iteration ${i}: loss ${l.toFixed(5)}`),
    postprocess: !flags['no-postprocess'],
  });
  const bytes = writeNifti(mri.modalities.t1, segmentation.labels, { description: `Attune ${mode} mask`, gzip: /\.gz$/i.test(flags.out) });
  await writeFile(flags.out, bytes);
  log(`shift score ${report.shiftScore.toFixed(4)}, kept iteration ${report.chosenIteration}; wrote ${flags.out}`);
}
