/// <reference lib="webworker" />
import { loadCase } from '../core/case/index.ts';
import type { AttuneModel } from '../core/model/index.ts';
import { segmentCase } from '../core/model/index.ts';
import type { Modality } from '../core/modality/index.ts';
import { preprocess } from '../core/preprocess/index.ts';
import { shiftCase } from '../core/shift/index.ts';
import { adaptAndSegment } from '../core/tta/index.ts';
import { writeNifti, type NiftiVolume } from '../core/volume/index.ts';
import { pickBackend } from './backend.ts';
import { loadModel } from './loadModel.ts';
import type { BackendName, ModeResult, WorkerEvent, WorkerRequest } from './protocol.ts';

/**
 * The worker: one model, one run at a time. A run = preprocess → baseline inference →
 * for each requested mode: adapt + segment (all from the shipped weights). Progress is
 * streamed; cancel is honoured between iterations and slice batches; a failed run reports
 * its error and leaves the worker ready for the next.
 */
const post = (e: WorkerEvent, transfer: Transferable[] = []) => (self as DedicatedWorkerGlobalScope).postMessage(e, transfer);

let model: AttuneModel | null = null;
let backend: BackendName = 'wasm';
const cancelled = new Set<number>();

class Cancelled extends Error {}

async function run(req: Extract<WorkerRequest, { type: 'run' }>) {
  const { runId } = req;
  const check = () => {
    if (cancelled.has(runId) || (req.cancelFlag && Atomics.load(req.cancelFlag, 0) === 1)) throw new Cancelled();
  };
  if (!model) throw new Error('the model is not loaded yet');
  post({ type: 'progress', runId, stage: 'preprocess' });
  const pre = preprocess(req.modalities as Record<Modality, NiftiVolume>);
  check();
  const t0 = performance.now();
  const baseline = await segmentCase(model.weights, model.arch, pre, {
    batchSize: req.batchSize,
    checkCancelled: check,
    onProgress: (done, total) => post({ type: 'progress', runId, stage: 'baseline', done, total }),
  });
  const baselineSeconds = (performance.now() - t0) / 1000;
  const results: ModeResult[] = [];
  for (const settings of req.settings) {
    const { segmentation, report, segmentSeconds } = await adaptAndSegment(model, pre, settings, {
      batchSize: req.batchSize,
      checkCancelled: check,
      onIteration: (iteration, loss) => post({ type: 'progress', runId, stage: 'adapt', mode: settings.mode, iteration, loss, total: settings.iterations }),
      onSegmentProgress: (done, total) => post({ type: 'progress', runId, stage: 'segment', mode: settings.mode, done, total }),
    });
    results.push({ report, labels: segmentation.labels, segmentSeconds });
  }
  post(
    { type: 'result', runId, backend, baseline: baseline.labels, baselineSeconds, results },
    [baseline.labels.buffer, ...results.map((r) => r.labels.buffer)],
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
    return { name, bytes: writeNifti(volume, volume.data, { gzip: false }) };
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
      const picked = await pickBackend(req.backend);
      backend = picked.backend;
      model = await loadModel(req.model);
      post({ type: 'ready', backend, reason: picked.reason, modelInfo: { contractVersion: model.manifest.contractVersion, widths: model.arch.widths } });
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
      if (e instanceof Cancelled) post({ type: 'cancelled', runId: req.runId });
      else post({ type: 'error', runId: req.runId, message: (e as Error).message ?? String(e) });
    } finally {
      cancelled.delete(req.runId);
    }
  }
};
