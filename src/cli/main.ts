import { fileURLToPath } from 'node:url';
import { loadModelDir } from '../node/loadModelDir.ts';
import { useNodeBackend, type NodeBackend } from '../node/useNodeBackend.ts';
import { registerWasmConv2dBackpropFilter } from '../core/tta/index.ts';
import { parseArgs } from './args.ts';
import { DEFAULT_MODEL_NAME, isShippedModelName, SHIPPED_MODELS } from '../core/model/shippedModels.ts';
import { BENCHMARK_FLAGS, BENCHMARK_SWITCHES, benchmark } from './benchmark.ts';
import { SEGMENT_FLAGS, SEGMENT_SWITCHES, segment } from './segment.ts';
import { SHIFT_FLAGS, shift } from './shift.ts';
import { CALIBRATE_FLAGS, calibrate } from './calibrate.ts';
import { CONVERT_FLAGS, convert } from './convert.ts';
import { loadCalibration } from './loadCalibration.ts';
import { REPORT_FLAGS, REPORT_SWITCHES, report } from './report/report.ts';

const MODELS_DIR = new URL('../../models/', import.meta.url);
const shippedModelDir = (name: string) => fileURLToPath(new URL(`${name}/`, MODELS_DIR));
export const DEFAULT_MODEL_DIR = shippedModelDir(DEFAULT_MODEL_NAME);

const USAGE = `usage:
  attune benchmark <folder> [--modes none,auto,normalizer,bn,tent,adabn,bnmix] [--iterations N] [--lr X]
                   [--optimizer sgd|adam] [--slices K] [--json out.json] [--no-postprocess]
  attune convert <DICOM folder or files> --out <folder>   (each series → NIfTI + JSON sidecar; prints the T1/T1Gd/T2/FLAIR assignment)
  attune segment <files or folder, NIfTI or DICOM, BraTS-ready or raw> [--mode auto|none|normalizer|bn|tent|adabn|bnmix] --out mask.nii.gz [--labels 2021|2023]
                 [--atlas-out mask-atlas.nii.gz] [--brain-out brain-atlas.nii.gz]   (raw study: --out on the T1Gd's grid)
                 [--iterations N] [--lr X] [--optimizer sgd|adam] [--slices K] [--layers all|shallow] [--pixels all|brain]
                 [--no-postprocess]   (masks are post-processed by default: src/core/postprocess)
common: [--model <bundled model name | dir with model.json>] [--backend wasm|cpu] [--batch slices per forward pass]
  attune shift <case folder> --preset low-field|thick-slices|bias-field|noisy|blur|weak-enhancement|vendor-mild|contrast-mild|gamma|gain-offset-control
               --severity 0-4 [--seed N] --out <folder>   (writes <folder>/<case>-<preset>-s<S>/)
  attune calibrate <training case folders…> [--untrained <folder>,<folder>…] [--out <model dir>/calibration.json] [--slices N|all]
                   (reference from the training scans; signal values of scans the model did not train on
                    (--untrained), which a new scan is read against; --untrained alone keeps the training scans)
  attune report [--data ../shared/data/brats2021] [--runs runs/report] [--out BENCHMARKS.md]
                [--shard i/n] [--list yes] [--part all|classic|evaluation] [--evaluation-runs bench/runs/evaluation]
                [--evaluation-cases <folder of labelled cases>] [--render-only]
                (runs what is missing, rewrites the report sections + bench/figures/*.svg;
                 --render-only: from the recorded runs alone, nothing is run;
                 --evaluation-cases: your own labelled cases instead of the built-in evaluation set)`;

/** --model: a bundled model's name (models/<name>; none: the default) or any folder with a model.json. */
export const modelDirOf = (flags: Record<string, string>) =>
  flags.model === undefined ? DEFAULT_MODEL_DIR : isShippedModelName(flags.model) ? shippedModelDir(flags.model) : flags.model;

async function setup(flags: Record<string, string>) {
  const backend = (flags.backend ?? 'wasm') as NodeBackend;
  if (backend !== 'wasm' && backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got "${backend}"`);
  await useNodeBackend(backend);
  registerWasmConv2dBackpropFilter();
  return loadModelDir(modelDirOf(flags));
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = (s: string) => process.stderr.write(s + '\n');
  try {
    if (command === 'benchmark') {
      const { positional, flags } = parseArgs(rest, BENCHMARK_FLAGS, BENCHMARK_SWITCHES);
      if (positional.length !== 1) throw new Error('benchmark takes exactly one <folder>');
      const model = await setup(flags);
      await benchmark(positional[0], flags, model, await loadCalibration(modelDirOf(flags), model), log);
      return 0;
    }
    if (command === 'segment') {
      const { positional, flags } = parseArgs(rest, SEGMENT_FLAGS, SEGMENT_SWITCHES);
      if (positional.length === 0) throw new Error('segment needs the scan: 4–5 files or one folder');
      const model = await setup(flags);
      await segment(positional, flags, model, await loadCalibration(modelDirOf(flags), model), log);
      return 0;
    }
    if (command === 'convert') {
      const { positional, flags } = parseArgs(rest, CONVERT_FLAGS);
      if (positional.length === 0) throw new Error('convert needs a DICOM folder or files');
      await convert(positional, flags, log);
      return 0;
    }
    if (command === 'calibrate') {
      const { positional, flags } = parseArgs(rest, CALIBRATE_FLAGS);
      await calibrate(positional, flags, await setup(flags), modelDirOf(flags), log);
      return 0;
    }
    if (command === 'shift') {
      const { positional, flags } = parseArgs(rest, SHIFT_FLAGS);
      if (positional.length !== 1) throw new Error('shift takes exactly one <case folder>');
      await shift(positional[0], flags, log);
      return 0;
    }
    if (command === 'report') {
      const { positional, flags } = parseArgs(rest, REPORT_FLAGS, REPORT_SWITCHES);
      if (positional.length) throw new Error(`report takes no positional arguments, got ${positional.join(' ')}`);
      await report(flags, modelDirOf(flags), () => setup(flags), flags.backend ?? 'wasm', log);
      return 0;
    }
    log(`${USAGE}\nbundled models: ${SHIPPED_MODELS.map((m) => `${m.name}${m.name === DEFAULT_MODEL_NAME ? ' (default)' : ''} — ${m.summary}`).join('; ')}`);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  } catch (e) {
    log(`attune ${command}: ${(e as Error).message}`);
    return 1;
  }
}
