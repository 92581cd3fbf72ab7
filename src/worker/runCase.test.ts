import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../node/useNodeBackend.ts';
import { loadCase } from '../core/case/index.ts';
import { limitsFor } from '../core/memory/index.ts';
import { decodeModel, type AttuneModel } from '../core/model/index.ts';
import { makeNoTumourModelFiles } from '../core/model/testing/noTumourModel.ts';
import { makeTinyModelFiles } from '../core/model/testing/tinyModel.ts';
import type { MriCase } from '../core/case/index.ts';
import { caseSummaryMasks } from '../core/results/index.ts';
import { craftedCalibration } from '../core/signals/testing/craftedCalibration.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { DEFAULT_SETTINGS, registerWasmConv2dBackpropFilter } from '../core/tta/index.ts';
import { readNifti, writeNifti } from '../core/volume/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import type { WorkerEvent } from './protocol.ts';
import { planWorkerRun, runCase, type RunContext, type RunRequest } from './runCase.ts';

/** The worker's run paths in Node (wasm), as the app runs them: the worker adds only messaging, cancel and the GPU fallback around them. */
describe('the worker run paths', () => {
  let mri: MriCase;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    registerWasmConv2dBackpropFilter();
    mri = (await loadCase(Object.values(makeSyntheticCase({ seed: 3, dims: [40, 40, 12] }).files))).check.mriCase!;
  });

  function setUp(files: ReturnType<typeof makeTinyModelFiles>, trainingValue: number) {
    const model: AttuneModel = decodeModel(files.manifest, [files.weights]);
    const pre = preprocess(mri.modalities);
    const req: RunRequest = { type: 'run', runId: 7, modalities: mri.modalities, settings: [{ ...DEFAULT_SETTINGS.bn, iterations: 2, statsSlices: 4 }], auto: true, batchSize: 6 };
    const events: WorkerEvent[] = [];
    const checkpoints: string[] = [];
    const ctx: RunContext = {
      model,
      calibration: craftedCalibration(files, trainingValue),
      plan: planWorkerRun(model, files.weights.byteLength, pre, req, limitsFor('wasm')),
      post: (e) => events.push(e),
      checkCancel: () => undefined,
      checkpoint: (stage, step) => void checkpoints.push(`${stage}:${step}`),
    };
    return { model, pre, req, ctx, events, checkpoints };
  }

  it('a model that predicts no tumour: every path succeeds, no tumour is found, auto keeps the baseline and says why; the summary and export work', async () => {
    const files = makeNoTumourModelFiles();
    // Tiny training values: a measured flip disagreement would read beyond them and auto would adapt.
    const { model, pre, req, ctx, events, checkpoints } = setUp(files, 1e-6);
    const out = await runCase(ctx, pre, req);

    expect(out.baseline.labels.every((v) => v === 0)).toBe(true);
    expect(out.signals.evidence).toMatchObject({ tumourVoxels: 0, flipDisagreement: null });
    expect(out.signals.reading).toMatchObject({ signal: 'flipDisagreement', noTumour: 'scan' });
    expect(out.results).toHaveLength(1);
    expect(out.results[0].report.mode).toBe('bn');
    expect(out.results[0].labels.every((v) => v === 0)).toBe(true);
    expect(out.auto!.decision).toMatchObject({ kept: 'baseline', adaptedWith: null });
    expect(out.auto!.decision.reason).toMatch(/^baseline kept without adapting: the model predicts no tumour in this scan/);
    expect(out.auto!.report).toBeUndefined();
    expect(out.auto!.labels.every((v) => v === 0)).toBe(true);
    expect(out.auto!.labels).not.toBe(out.baseline.labels); // its own buffer: both are transferred
    // Progress: the baseline and bn's iterations; auto never adapted.
    expect(events.some((e) => e.type === 'progress' && e.stage === 'baseline')).toBe(true);
    expect(events.filter((e) => e.type === 'progress' && e.stage === 'adapt' && e.mode === 'bn').map((e) => e.type === 'progress' && e.iteration)).toEqual([0, 1, 2]);
    expect(events.some((e) => e.type === 'progress' && e.mode === 'auto')).toBe(false);
    expect(checkpoints).toContain('adaptation:2');
    expect(checkpoints).toContain('inference:0');

    // The one-page summary's numbers and the export, on the empty masks.
    const t1 = mri.modalities.t1;
    const summary = caseSummaryMasks(
      [{ name: 'Baseline', labels: out.baseline.labels }, { name: 'Automatic', labels: out.auto!.labels }],
      { dims: t1.dims, spacingMm: t1.spacingMm, voxelMl: 0.001 },
      null,
      out.signals.reading,
      out.auto!.decision.reason,
    );
    expect(summary.noTumourIn).toEqual(['Baseline', 'Automatic']);
    expect(summary.rows.flatMap((r) => r.regions.map((g) => g.ml))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(summary.signal).toMatchObject({ level: 'noTumour', value: null });
    const exported = await readNifti(writeNifti(t1, out.auto!.labels, { gzip: true, intentCode: 1002 }), 'auto.nii.gz');
    expect(exported.dims).toEqual(t1.dims);
    expect(exported.data.every((v) => v === 0)).toBe(true);
    Object.values(model.weights).forEach((t) => t.dispose());
  });

  it('an ordinary model with a calibration it reads beyond: the same paths adapt in auto', async () => {
    const { model, pre, req, ctx, events } = setUp(makeTinyModelFiles(), 1e-6);
    const n0 = tf.memory().numTensors;
    const out = await runCase(ctx, pre, req);
    expect(out.signals.reading).toMatchObject({ signal: 'flipDisagreement', percentile: 100 });
    expect(out.auto!.decision.adaptedWith).toBe('tent');
    expect(out.auto!.report!.lossCurve).toHaveLength(DEFAULT_SETTINGS.tent.iterations + 1);
    expect(events.some((e) => e.type === 'progress' && e.stage === 'adapt' && e.mode === 'auto')).toBe(true);
    expect(tf.memory().numTensors).toBe(n0);
    Object.values(model.weights).forEach((t) => t.dispose());
  });
});
