/// <reference lib="webworker" />
import { memory } from '@tensorflow/tfjs-core';
import { loadCase } from '../core/case/index.ts';
import { fromInternalLabels, INTERNAL_CONVENTION } from '../core/labels/index.ts';
import { planRun, type RunPlan } from '../core/memory/index.ts';
import type { AttuneModel } from '../core/model/index.ts';
import { segmentCase } from '../core/model/index.ts';
import { preprocess, type PreprocessedCase } from '../core/preprocess/index.ts';
import { shiftCase } from '../core/shift/index.ts';
import { adaptAndSegment } from '../core/tta/index.ts';
import { writeNifti } from '../core/volume/index.ts';
import { currentMemoryLimits, destroyGpuDevice, pickBackend, switchToWasm, watchGpuDevice } from './backend.ts';
import { fallbackNotice, GpuFailure, injectedFault, runWithGpuFallback, type GpuFaultStage } from './gpuFallback.ts';
import { buildModel, fetchCalibration, fetchModelFiles, type ModelFiles } from './loadModel.ts';
import type { AutoResultMessage, BackendName, ModeResult, SignalResult, WorkerEvent, WorkerRequest } from './protocol.ts';
import { DEFAULT_POLICY, autoAdaptFromBaseline, readBaselineSignal } from '../core/decision/index.ts';
import { baselineEvidence, brainReferenceTensors, disposeReference, type Calibration } from '../core/signals/index.ts';
import type { WorkerFault } from './workerDeath.ts';

/**
 * The worker: one model, one run at a time. A run = preprocess → memory plan → baseline
 * inference and its evidence (signals read against the model's calibration) → for each
 * requested mode: adapt + segment (all from the shipped weights) → `auto`, if asked.
 * Progress is streamed; cancel is honoured between iterations and slice batches; a GPU
 * failure on WebGPU makes the run start again on wasm (with a notice); a failed run
 * reports its error and leaves the worker ready for the next.
 */
const post = (e: WorkerEvent, transfer: Transferable[] = []) => (self as DedicatedWorkerGlobalScope).postMessage(e, transfer);

let model: AttuneModel | null = null;
let calibration: Calibration | null = null;
let modelFiles: ModelFiles | null = null;
let backend: BackendName = 'wasm';
/** Set by the device watch (lost device, uncaptured GPU error); checked at every checkpoint. */
let gpuFault: string | null = null;
/** Test hook: a fault to inject once, on the first WebGPU run. */
let pendingFault: GpuFaultStage | null = null;
const cancelled = new Set<number>();
/** Test hook: how this worker dies, once, during its first adaptation (?workerFault=). */
let pendingDeath: WorkerFault | null = null;

/**
 * tfjs's live tensor count and bytes, readable from outside (e2e's long-session test
 * reads it with Playwright's worker.evaluate): a run that leaks tensors shows up as a
 * count that grows from case to case. Read-only; nothing in the app calls it.
 */
Object.assign(self, { attuneTensorMemory: () => ({ numTensors: memory().numTensors, numBytes: memory().numBytes }) });

class Cancelled extends Error {}
/** Unwinds a run after the injected death: nothing may be posted any more. */
class Dying extends Error {}

/**
 * The injected death. 'exit': the worker closes itself and says nothing — what the page
 * sees when the browser kills a worker that ran out of memory. 'crash': an uncaught error
 * escapes (the page's `error` event) and the run never answers.
 */
function die(fault: WorkerFault): never {
  if (fault === 'exit') {
    self.close();
    throw new Dying();
  }
  throw new Dying(`injected crash during adaptation (?workerFault=crash, for testing)`);
}

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

function plan(pre: PreprocessedCase, req: Extract<WorkerRequest, { type: 'run' }>): RunPlan {
  const [, height, width] = pre.shape;
  // auto's possible adaptation is planned as one more mode (the last entry).
  const settings = req.auto ? [...req.settings, DEFAULT_POLICY.settings] : req.settings;
  const p = planRun(model!.arch, { height, width }, weightBytes(modelFiles!), { batchSize: req.batchSize ?? 8, settings }, currentMemoryLimits());
  if (p.refusal) throw new Error(p.refusal);
  return p;
}

async function run(req: Extract<WorkerRequest, { type: 'run' }>) {
  const { runId } = req;
  if (!model || !modelFiles) throw new Error('the model is not loaded yet');
  const checkCancel = () => {
    if (cancelled.has(runId) || (req.cancelFlag && Atomics.load(req.cancelFlag, 0) === 1)) throw new Cancelled();
  };
  /** Between batches and iterations: cancel, or a GPU failure the device reported. */
  const checkpoint = (stage: Exclude<GpuFaultStage, 'device-lost'>, step: number) => {
    checkCancel();
    if (backend !== 'webgpu') return;
    if (gpuFault) throw new GpuFailure(gpuFault);
    if (pendingFault === 'device-lost' && stage === 'adaptation' && step > 0) {
      pendingFault = null;
      destroyGpuDevice(); // no throw: what follows must notice the loss the way a real one is noticed
      return;
    }
    if (pendingFault === stage && step > 0) {
      pendingFault = null; // once: the rerun after the fallback must not fail again
      throw injectedFault(stage);
    }
  };
  post({ type: 'progress', runId, stage: 'preprocess' });
  const pre = preprocess(req.modalities);
  checkCancel();

  const attempt = async () => {
    const p = plan(pre, req);
    for (const message of p.notices) post({ type: 'notice', runId, message });
    const m = model!;
    const t0 = performance.now();
    let batches = 0;
    const baseline = await segmentCase(m.weights, m.arch, pre, {
      batchSize: p.batchSize,
      checkCancelled: () => checkpoint('inference', batches++),
      onProgress: (done, total) => post({ type: 'progress', runId, stage: 'baseline', done, total }),
      postprocess: req.postprocess,
      measureUncertainty: true,
    });
    const evidence = await baselineEvidence(m, pre, baseline, { calibration: calibration ?? undefined, passSize: p.batchSize });
    const baselineSeconds = (performance.now() - t0) / 1000;
    const signals: SignalResult = { evidence, reading: calibration ? readBaselineSignal(DEFAULT_POLICY.signal, evidence, calibration) : null };
    const results: ModeResult[] = [];
    const modeCount = req.settings.length;
    for (const [i, settings] of p.settings.slice(0, modeCount).entries()) {
      if (settings.pixels === 'brain' && !calibration) throw new Error('the brain-pixel variant aligns to the calibrated reference, and this model has no calibration: choose "All pixels"');
      const brainReference = settings.pixels === 'brain' ? brainReferenceTensors(calibration!) : undefined;
      const { segmentation, report, segmentSeconds } = await adaptAndSegment(m, pre, settings, {
        brainReference,
        batchSize: p.batchSize,
        adaptBatchSize: p.adaptBatchSizes[i],
        checkCancelled: checkCancel,
        onIteration: (iteration, loss) => {
          post({ type: 'progress', runId, stage: 'adapt', mode: settings.mode, iteration, loss, total: settings.iterations });
          if (pendingDeath && iteration > 0) die(pendingDeath);
          checkpoint('adaptation', iteration);
        },
        onSegmentProgress: (done, total) => {
          post({ type: 'progress', runId, stage: 'segment', mode: settings.mode, done, total });
          checkpoint('inference', done);
        },
        postprocess: req.postprocess,
      }).finally(() => brainReference && disposeReference(brainReference));
      results.push({ report, labels: segmentation.labels, segmentSeconds });
    }
    let auto: AutoResultMessage | undefined;
    if (req.auto) {
      const planned = p.settings[modeCount];
      const r = await autoAdaptFromBaseline(m, pre, calibration, DEFAULT_POLICY, { segmentation: baseline, evidence, seconds: baselineSeconds }, {
        batchSize: p.batchSize,
        adaptBatchSize: p.adaptBatchSizes[modeCount],
        settingsFor: () => planned,
        postprocess: req.postprocess,
        checkCancelled: checkCancel,
        onIteration: (iteration, loss) => {
          post({ type: 'progress', runId, stage: 'adapt', mode: 'auto', iteration, loss, total: planned.iterations });
          if (pendingDeath && iteration > 0) die(pendingDeath);
          checkpoint('adaptation', iteration);
        },
        onSegmentProgress: (done, total, which) => {
          if (which === 'adapted') post({ type: 'progress', runId, stage: 'segment', mode: 'auto', done, total });
          checkpoint('inference', done);
        },
      });
      const { baseline: _b, ...decision } = r.decision;
      // A kept baseline is the same mask: a copy, because the baseline's buffer is transferred too.
      auto = { labels: r.decision.kept === 'adapted' ? r.segmentation.labels : r.segmentation.labels.slice(), decision, report: r.adaptation, seconds: r.seconds.adaptation + r.seconds.adaptedSegmentation };
    }
    // A device lost during the last batch: its numbers cannot be trusted either.
    if (backend === 'webgpu' && gpuFault) throw new GpuFailure(gpuFault);
    return { baseline, baselineSeconds, results, signals, auto };
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
      pendingDeath = req.workerFault ?? null;
      const picked = await pickBackend(req.backend);
      backend = picked.backend;
      pendingFault = req.gpuFault ?? null;
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
