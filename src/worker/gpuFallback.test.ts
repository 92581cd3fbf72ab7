import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCase } from '../core/case/index.ts';
import { decodeModel, type AttuneModel } from '../core/model/index.ts';
import { makeTinyModelFiles } from '../core/model/testing/tinyModel.ts';
import { preprocess, type PreprocessedCase } from '../core/preprocess/index.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { adaptAndSegment, DEFAULT_SETTINGS, registerWasmConv2dBackpropFilter } from '../core/tta/index.ts';
import { useNodeBackend } from '../node/useNodeBackend.ts';
import { GpuFailure, injectedFault, isGpuFailure, runWithGpuFallback } from './gpuFallback.ts';

/**
 * The fallback with an injected failing backend: tfjs's cpu backend plays the GPU, and a
 * fault is thrown from inside the adaptation loop on its first run, as the worker's
 * device-loss watch or ?gpuFault= hook would. The run must finish on wasm with exactly
 * the mask and curve a plain wasm run gives.
 */
describe('runWithGpuFallback', () => {
  const files = makeTinyModelFiles();
  const settings = { ...DEFAULT_SETTINGS.bn, iterations: 2, statsSlices: 4 };
  let pre: PreprocessedCase;
  let reference: { labels: Uint8Array; lossCurve: number[] };

  const run = async (model: AttuneModel, fault?: () => void) => {
    const { segmentation, report } = await adaptAndSegment(model, pre, settings, {
      batchSize: 8,
      onIteration: (i) => {
        if (i === 1) fault?.();
      },
    });
    return { labels: segmentation.labels, lossCurve: report.lossCurve };
  };

  beforeAll(async () => {
    await useNodeBackend('wasm');
    registerWasmConv2dBackpropFilter();
    await useNodeBackend('cpu');
    const { check } = await loadCase(Object.values(makeSyntheticCase({ seed: 5, dims: [40, 40, 12] }).files));
    pre = preprocess(check.mriCase!.modalities);
    await tf.setBackend('wasm');
    reference = await run(decodeModel(files.manifest, [files.weights]));
    await tf.setBackend('cpu');
  }, 120_000);

  it('falls back to wasm after a GPU failure during adaptation and completes with the wasm result', async () => {
    let model = decodeModel(files.manifest, [files.weights]);
    let faults = 0;
    const fallbacks: string[] = [];
    const { value, fellBackBecause } = await runWithGpuFallback(
      () =>
        run(model, () => {
          if (tf.getBackend() === 'cpu') {
            faults++;
            throw injectedFault('adaptation');
          }
        }),
      {
        onGpu: () => tf.getBackend() === 'cpu',
        fallBack: async (reason) => {
          fallbacks.push(reason);
          await tf.setBackend('wasm');
          model = decodeModel(files.manifest, [files.weights]);
        },
      },
    );
    expect(faults).toBe(1);
    expect(fallbacks).toEqual(['GPUDevice was lost during adaptation (injected by ?gpuFault=adaptation for testing)']);
    expect(fellBackBecause).toBe(fallbacks[0]);
    expect(tf.getBackend()).toBe('wasm');
    expect(value.lossCurve).toEqual(reference.lossCurve);
    expect(Array.from(value.labels)).toEqual(Array.from(reference.labels));
    expect(new Set(value.labels).size).toBeGreaterThan(1);
    await tf.setBackend('cpu');
  }, 120_000);

  it('does not fall back for other errors, or when already on wasm', async () => {
    const fallBack = async () => {
      throw new Error('must not be called');
    };
    await expect(runWithGpuFallback(() => Promise.reject(new Error('Every voxel of all four scans is 0')), { onGpu: () => true, fallBack })).rejects.toThrow('Every voxel');
    await expect(runWithGpuFallback(() => Promise.reject(new GpuFailure('device lost')), { onGpu: () => false, fallBack })).rejects.toThrow('device lost');
    // A second failure after the fallback is reported, not retried forever.
    let calls = 0;
    await expect(
      runWithGpuFallback(
        () => {
          calls++;
          return Promise.reject(new GpuFailure('GPUDevice was lost'));
        },
        { onGpu: () => true, fallBack: async () => undefined },
      ),
    ).rejects.toThrow('GPUDevice was lost');
    expect(calls).toBe(2);
  });

  it('recognises the errors WebGPU and tfjs raise on device loss, out-of-memory and limits', () => {
    for (const message of [
      "Failed to execute 'mapAsync' on 'GPUBuffer': [Device] is lost.",
      'Device was lost: the GPU process crashed',
      'GPUOutOfMemoryError: Out of memory',
      'Buffer size (4294967296) exceeds the max buffer size limit (maxBufferSize: 268435456).',
      'Binding size is larger than the maximum binding size (maxStorageBufferBindingSize)',
      'Dispatch size exceeds WebGPU limits in Y or Z dimension.',
    ]) {
      expect(isGpuFailure(new Error(message)), message).toBe(true);
    }
    for (const message of ['the model is not loaded yet', 'T1 has the same value everywhere inside the brain', 'Cancelled']) {
      expect(isGpuFailure(new Error(message)), message).toBe(false);
    }
  });
});
