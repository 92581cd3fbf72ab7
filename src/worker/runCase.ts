import { DEFAULT_POLICY, autoAdaptFromBaseline, readBaselineSignal } from '../core/decision/index.ts';
import { planRun, type MemoryLimits, type RunPlan } from '../core/memory/index.ts';
import { segmentCase, type AttuneModel, type Segmentation } from '../core/model/index.ts';
import type { PreprocessedCase } from '../core/preprocess/index.ts';
import { baselineEvidence, brainReferenceTensors, disposeReference, type Calibration } from '../core/signals/index.ts';
import { adaptAndSegment } from '../core/tta/index.ts';
import type { AutoResultMessage, ModeResult, SignalResult, WorkerEvent, WorkerRequest } from './protocol.ts';

export type RunRequest = Extract<WorkerRequest, { type: 'run' }>;

/**
 * What a run path needs from the worker, and nothing of `self`: so the paths run in Node
 * too (runCase.test.ts) with the same code the app runs.
 */
export interface RunContext {
  model: AttuneModel;
  calibration: Calibration | null;
  plan: RunPlan;
  /** Progress and notices to the page. */
  post: (e: WorkerEvent) => void;
  /** Throws when the run was cancelled. */
  checkCancel: () => void;
  /** Between inference batches and after adaptation iterations: cancel, a GPU failure, the test-fault hooks (faultHooks.ts). */
  checkpoint: (stage: 'inference' | 'adaptation', step: number) => void;
}

/** The baseline every run starts with: its segmentation, and its evidence read against the calibration. */
export interface BaselineRun {
  segmentation: Segmentation;
  seconds: number;
  signals: SignalResult;
}

export interface RunOutcome {
  baseline: Segmentation;
  baselineSeconds: number;
  results: ModeResult[];
  signals: SignalResult;
  auto?: AutoResultMessage;
}

/** The memory plan of a run (`auto`'s candidates planned as more modes, the last entries); its refusal fails the run before anything is allocated. */
export function planWorkerRun(model: AttuneModel, weightBytes: number, pre: PreprocessedCase, req: RunRequest, limits: MemoryLimits): RunPlan {
  const [, height, width] = pre.shape;
  const settings = req.auto ? [...req.settings, ...DEFAULT_POLICY.candidates.map((c) => c.settings)] : req.settings;
  const p = planRun(model.arch, { height, width }, weightBytes, { batchSize: req.batchSize ?? 8, settings }, limits);
  if (p.refusal) throw new Error(p.refusal);
  return p;
}

/** Path 1, every run: the source model's segmentation, its evidence, and the decision signal's reading (a "no tumour" reading when there is none to measure). */
export async function runBaseline(ctx: RunContext, pre: PreprocessedCase, req: RunRequest): Promise<BaselineRun> {
  const { model: m, calibration, plan: p } = ctx;
  const { runId } = req;
  const t0 = performance.now();
  let batches = 0;
  const segmentation = await segmentCase(m.weights, m.arch, pre, {
    batchSize: p.batchSize,
    checkCancelled: () => ctx.checkpoint('inference', batches++),
    onProgress: (done, total) => ctx.post({ type: 'progress', runId, stage: 'baseline', done, total }),
    postprocess: req.postprocess,
    measureUncertainty: true,
  });
  const evidence = await baselineEvidence(m, pre, segmentation, { calibration: calibration ?? undefined, passSize: p.batchSize });
  const seconds = (performance.now() - t0) / 1000;
  return { segmentation, seconds, signals: { evidence, reading: calibration ? readBaselineSignal(DEFAULT_POLICY.signal, evidence, calibration) : null } };
}

/** Path 2, per requested mode: adapt from the shipped weights and segment with the adapted model. */
export async function runModes(ctx: RunContext, pre: PreprocessedCase, req: RunRequest): Promise<ModeResult[]> {
  const { model: m, calibration, plan: p } = ctx;
  const results: ModeResult[] = [];
  for (const [i, settings] of p.settings.slice(0, req.settings.length).entries()) {
    if (settings.pixels === 'brain' && !calibration) throw new Error('the brain-pixel variant aligns to the calibrated reference, and this model has no calibration: choose "All pixels"');
    const brainReference = settings.pixels === 'brain' ? brainReferenceTensors(calibration!) : undefined;
    const { segmentation, report, segmentSeconds } = await adaptAndSegment(m, pre, settings, {
      brainReference,
      batchSize: p.batchSize,
      adaptBatchSize: p.adaptBatchSizes[i],
      checkCancelled: ctx.checkCancel,
      onIteration: (iteration, loss) => {
        ctx.post({ type: 'progress', runId: req.runId, stage: 'adapt', mode: settings.mode, iteration, loss, total: settings.iterations });
        ctx.checkpoint('adaptation', iteration);
      },
      onSegmentProgress: (done, total) => {
        ctx.post({ type: 'progress', runId: req.runId, stage: 'segment', mode: settings.mode, done, total });
        ctx.checkpoint('inference', done);
      },
      postprocess: req.postprocess,
    }).finally(() => brainReference && disposeReference(brainReference));
    results.push({ report, labels: segmentation.labels, segmentSeconds });
  }
  return results;
}

/** Path 3, `auto`: from the baseline already run, adapt only when its evidence says so, keep only what passes the drift checks. */
export async function runAuto(ctx: RunContext, pre: PreprocessedCase, req: RunRequest, base: BaselineRun): Promise<AutoResultMessage> {
  const { model: m, calibration, plan: p } = ctx;
  const modeCount = req.settings.length;
  const planned = (index: number) => p.settings[modeCount + index];
  const r = await autoAdaptFromBaseline(m, pre, calibration, DEFAULT_POLICY, { segmentation: base.segmentation, evidence: base.signals.evidence, seconds: base.seconds }, {
    batchSize: p.batchSize,
    adaptBatchSizeFor: (index) => p.adaptBatchSizes[modeCount + index],
    settingsFor: (_s, index) => planned(index),
    postprocess: req.postprocess,
    checkCancelled: ctx.checkCancel,
    onIteration: (iteration, loss, variant, index) => {
      ctx.post({ type: 'progress', runId: req.runId, stage: 'adapt', mode: 'auto', variant, iteration, loss, total: planned(index).iterations });
      ctx.checkpoint('adaptation', iteration);
    },
    onSegmentProgress: (done, total, which, variant) => {
      if (which === 'adapted') ctx.post({ type: 'progress', runId: req.runId, stage: 'segment', mode: 'auto', variant, done, total });
      ctx.checkpoint('inference', done);
    },
  });
  const { baseline: _b, ...decision } = r.decision;
  // A kept baseline is the same mask: a copy, because the baseline's buffer is transferred too.
  return {
    labels: r.decision.kept === 'adapted' ? r.segmentation.labels : r.segmentation.labels.slice(),
    decision,
    report: r.adaptation,
    candidateRuns: r.candidateRuns,
    seconds: r.seconds.adaptation + r.seconds.adaptedSegmentation,
  };
}

/** One run on the current backend: baseline → each requested mode → `auto`, if asked. */
export async function runCase(ctx: RunContext, pre: PreprocessedCase, req: RunRequest): Promise<RunOutcome> {
  const base = await runBaseline(ctx, pre, req);
  const results = await runModes(ctx, pre, req);
  const auto = req.auto ? await runAuto(ctx, pre, req, base) : undefined;
  return { baseline: base.segmentation, baselineSeconds: base.seconds, results, signals: base.signals, auto };
}
