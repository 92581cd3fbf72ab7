/// <reference lib="webworker" />
import { memory } from '@tensorflow/tfjs-core';
import { loadCase } from '../core/case/index.ts';
import { fromInternalLabels, INTERNAL_CONVENTION } from '../core/labels/index.ts';
import type { AttuneModel } from '../core/model/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import { shiftCase } from '../core/shift/index.ts';
import type { Calibration } from '../core/signals/index.ts';
import { writeNifti } from '../core/volume/index.ts';
import { currentMemoryLimits, destroyGpuDevice, pickBackend, switchToWasm, watchGpuDevice } from './backend.ts';
import { Dying, FaultHooks } from './faultHooks.ts';
import { fallbackNotice, GpuFailure, runWithGpuFallback } from './gpuFallback.ts';
import { buildModel, fetchCalibration, fetchModelFiles, type ModelFiles } from './loadModel.ts';
import type { BackendName, WorkerEvent, WorkerRequest } from './protocol.ts';
import { planWorkerRun, runCase, type RunRequest } from './runCase.ts';

/**
 * The worker: one model, one run at a time. A run = preprocess → memory plan → the run paths
 * of runCase.ts (baseline inference and its evidence, read against the model's calibration →
 * for each requested mode: adapt + segment, all from the shipped weights → `auto`, if
 * asked). Progress is streamed; cancel is honoured between iterations and slice batches; a
 * GPU failure on WebGPU makes the run start again on wasm (with a notice); a failed run
 * reports its error and leaves the worker ready for the next. The test-fault hooks live in
 * faultHooks.ts and are asked only at the checkpoint below.
 */
const post = (e: WorkerEvent, transfer: Transferable[] = []) => (self as DedicatedWorkerGlobalScope).postMessage(e, transfer);

let model: AttuneModel | null = null;
let calibration: Calibration | null = null;
let modelFiles: ModelFiles | null = null;
let backend: BackendName = 'wasm';
/** Set by the device watch (lost device, uncaptured GPU error); checked at every checkpoint. */
let gpuFault: string | null = null;
const cancelled = new Set<number>();
/** Test hooks: an injected GPU failure (?gpuFault=) and an injected death (?workerFault=), armed at init. */
const faults = new FaultHooks({ destroyGpuDevice, closeWorker: () => self.close() });

/**
 * tfjs's live tensor count and bytes, readable from outside (e2e's long-session test
 * reads it with Playwright's worker.evaluate): a run that leaks tensors shows up as a
 * count that grows from case to case. Read-only; nothing in the app calls it.
 */
Object.assign(self, { attuneTensorMemory: () => ({ numTensors: memory().numTensors, numBytes: memory().numBytes }) });

class Cancelled extends Error {}

/** Holds the page's life lock until this worker ends (client.ts watches it). */
function holdLifeLock(name: string): Promise<void> {
  return new Promise((granted) => {
    void navigator.locks.request(name, () => {
      granted();
      return new Promise<void>(() => undefined); // released only when the worker is gone
    });
  });
}

const weightBytes = (files: ModelFiles) => files.shards.reduce((n, s) => n + s.byteLength, 0);

async function run(req: RunRequest) {
  const { runId } = req;
  if (!model || !modelFiles) throw new Error('the model is not loaded yet');
  const checkCancel = () => {
    if (cancelled.has(runId) || (req.cancelFlag && Atomics.load(req.cancelFlag, 0) === 1)) throw new Cancelled();
  };
  /** Between batches and iterations: the injected death, cancel, or a GPU failure (reported by the device, or injected). */
  const checkpoint = (stage: 'inference' | 'adaptation', step: number) => {
    if (stage === 'adaptation') faults.duringAdaptation(step);
    checkCancel();
    if (backend !== 'webgpu') return;
    if (gpuFault) throw new GpuFailure(gpuFault);
    faults.onGpuCheckpoint(stage, step);
  };
  post({ type: 'progress', runId, stage: 'preprocess' });
  const pre = preprocess(req.modalities);
  checkCancel();

  const attempt = async () => {
    const plan = planWorkerRun(model!, weightBytes(modelFiles!), pre, req, currentMemoryLimits());
    for (const message of plan.notices) post({ type: 'notice', runId, message });
    const outcome = await runCase({ model: model!, calibration, plan, post, checkCancel, checkpoint }, pre, req);
    // A device lost during the last batch: its numbers cannot be trusted either.
    if (backend === 'webgpu' && gpuFault) throw new GpuFailure(gpuFault);
    return outcome;
  };

  const { value } = await runWithGpuFallback(attempt, {
    onGpu: () => backend === 'webgpu',
    fallBack: async (reason) => {
      post({ type: 'notice', runId, message: fallbackNotice(reason) });
      try {
        Object.values(model!.weights).forEach((t) => t.dispose());
      } catch {
        // tensors of a lost device
      }
      model = null;
      await switchToWasm();
      backend = 'wasm';
      model = buildModel(modelFiles!);
      post({ type: 'backend', backend, reason: `WebGPU failed (${reason}); running on wasm` });
    },
  });
  const { baseline, baselineSeconds, results, signals, auto } = value;
  post(
    { type: 'result', runId, backend, baseline: baseline.labels, baselineSeconds, results, signals, auto },
    [baseline.labels.buffer, ...results.map((r) => r.labels.buffer), ...(auto ? [auto.labels.buffer] : [])],
  );
}

/** The scans of a case as if from another scanner; files keep their names with a suffix. */
async function shift(req: Extract<WorkerRequest, { type: 'shift' }>) {
  const { check, files } = await loadCase(req.files);
  if (!check.mriCase) throw new Error(check.issues.map((i) => i.message).join('; ') || 'the case is incomplete');
  const shifted = shiftCase(check.mriCase, { preset: req.preset, severity: req.severity, seed: req.seed });
  const tag = `${shifted.preset}${shifted.severity}`;
  const out = files.map((f) => {
    const role = f.role;
    const volume = role === 'seg' ? shifted.mriCase.label : role ? shifted.mriCase.modalities[role] : null;
    if (!volume) return null;
    const name = f.name.replace(/(_[^_]+)(\.nii(\.gz)?)$/i, `-${tag}$1.nii`);
    // The label map goes back out in the convention it came in (the case holds internal values).
    const data = role === 'seg' ? fromInternalLabels(volume.data as Uint8Array, shifted.mriCase.labelConvention ?? INTERNAL_CONVENTION) : volume.data;
    return { name, bytes: writeNifti(volume, data, { gzip: false }) };
  }).filter((f): f is { name: string; bytes: Uint8Array } => f !== null);
  post({ type: 'shifted', requestId: req.requestId, files: out }, out.map((f) => f.bytes.buffer as ArrayBuffer));
}

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const req = ev.data;
  if (req.type === 'cancel') {
    cancelled.add(req.runId);
    return;
  }
  if (req.type === 'init') {
    try {
      if (req.lifeLock && navigator.locks) await holdLifeLock(req.lifeLock);
      faults.armDeath(req.workerFault);
      const picked = await pickBackend(req.backend);
      backend = picked.backend;
      faults.armGpuFault(req.gpuFault);
      watchGpuDevice((message) => {
        gpuFault ??= message;
      });
      modelFiles = await fetchModelFiles(req.model);
      model = buildModel(modelFiles);
      const calibrated = await fetchCalibration(req.model, model.checksum);
      calibration = calibrated.calibration;
      post({ type: 'ready', backend, reason: picked.reason, modelInfo: { contractVersion: model.manifest.contractVersion, widths: model.arch.widths }, calibration: calibrated.status });
    } catch (e) {
      post({ type: 'init-error', message: (e as Error).message });
    }
    return;
  }
  if (req.type === 'shift') {
    try {
      await shift(req);
    } catch (e) {
      post({ type: 'shift-error', requestId: req.requestId, message: (e as Error).message ?? String(e) });
    }
    return;
  }
  if (req.type === 'run') {
    try {
      await run(req);
    } catch (e) {
      // The injected crash escapes uncaught, as a real one would; after 'exit', silence.
      if (e instanceof Dying) {
        // A rejected promise would stay inside the worker; a throw from a task reaches the page.
        if (e.message) setTimeout(() => { throw new Error(e.message); });
        return;
      }
      if (e instanceof Cancelled) post({ type: 'cancelled', runId: req.runId });
      else post({ type: 'error', runId: req.runId, message: (e as Error).message ?? String(e) });
    } finally {
      cancelled.delete(req.runId);
    }
  }
};
