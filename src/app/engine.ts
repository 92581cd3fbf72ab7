import type { GpuFaultStage } from '../worker/gpuFallback.ts';
import type { BackendName, ModelSource } from '../worker/protocol.ts';
import { isWorkerFault, type WorkerFault } from '../worker/workerDeath.ts';
import { SHIPPED_MODEL, SHIPPED_MODEL_SOURCES } from '../worker/shippedModel.ts';
import { DEFAULT_MODEL_NAME, isShippedModelName } from '../core/model/shippedModels.ts';

/** How the page starts its worker: which model, which backend, and what was wrong with the URL. */
export interface EngineOptions {
  model: ModelSource;
  /** A bundled model's name (models/<name>), or the path of the model.json URL given with ?model=. */
  modelLabel: string;
  /** 'wasm' when ?backend=wasm switches WebGPU off. */
  backend?: BackendName;
  /** Testing switch ?gpuFault=inference|adaptation|skull-strip|device-lost: the first WebGPU run fails there on purpose. */
  gpuFault?: GpuFaultStage;
  /** Testing switch ?workerFault=exit|crash: the worker dies during its first adaptation. */
  workerFault?: WorkerFault;
  /** Problems with the query parameters, shown to the user (the defaults are used instead). */
  notices: string[];
}

/**
 * Reads the page's query parameters, two research/testing switches:
 * - `?model=<name>` runs another bundled model (e.g. `attune-brats-inst18`, v1), with its own
 *   calibration; `?model=<URL of a model.json>` runs any exported model (same format,
 *   models/README.md); it must be on the page's own origin — nothing is ever fetched from
 *   elsewhere. Its shards are fetched next to it, as the manifest names them.
 * - `?backend=wasm` switches WebGPU off (e.g. to compare, or when a GPU driver misbehaves).
 * - `?gpuFault=inference|adaptation|skull-strip|device-lost` (testing) makes the first WebGPU
 *   run fail there with a GPU-like error (skull-strip: the raw-study worker's MindGrab), or
 *   destroys the GPU device mid-adaptation, to exercise the fallback to wasm.
 * - `?workerFault=exit|crash` (testing) kills the worker during its first adaptation —
 *   silently, as an out-of-memory kill looks, or with an uncaught error — to exercise the
 *   recovery: the page reports it, keeps the case and results, starts a fresh worker.
 */
export function engineOptionsFromUrl(href: string): EngineOptions {
  const url = new URL(href);
  const notices: string[] = [];
  let model = SHIPPED_MODEL;
  let modelLabel = DEFAULT_MODEL_NAME;
  const requestedModel = url.searchParams.get('model');
  if (requestedModel && isShippedModelName(requestedModel)) {
    model = SHIPPED_MODEL_SOURCES[requestedModel];
    modelLabel = requestedModel;
  } else if (requestedModel) {
    let resolved: URL | null = null;
    try {
      resolved = new URL(requestedModel, url);
    } catch {
      notices.push(`?model=${requestedModel} is neither a bundled model's name nor a URL; using the default model.`);
    }
    if (resolved && resolved.origin !== url.origin) {
      notices.push(`?model= must be on this page's origin (${url.origin}); Attune never fetches from elsewhere. Using the default model.`);
    } else if (resolved) {
      model = { manifestUrl: resolved.href, shardUrls: {} };
      modelLabel = resolved.pathname;
    }
  }
  const requestedBackend = url.searchParams.get('backend');
  let backend: BackendName | undefined;
  if (requestedBackend === 'wasm') backend = 'wasm';
  else if (requestedBackend && requestedBackend !== 'webgpu') {
    notices.push(`?backend=${requestedBackend} is not known (use wasm to switch WebGPU off); choosing automatically.`);
  }
  const requestedFault = url.searchParams.get('gpuFault');
  let gpuFault: GpuFaultStage | undefined;
  if (requestedFault === 'inference' || requestedFault === 'adaptation' || requestedFault === 'skull-strip' || requestedFault === 'device-lost') gpuFault = requestedFault;
  else if (requestedFault) notices.push(`?gpuFault=${requestedFault} is not known (use inference, adaptation, skull-strip or device-lost); ignored.`);
  const requestedDeath = url.searchParams.get('workerFault');
  const workerFault = isWorkerFault(requestedDeath) ? requestedDeath : undefined;
  if (requestedDeath && !workerFault) notices.push(`?workerFault=${requestedDeath} is not known (use exit or crash); ignored.`);
  return { model, modelLabel, backend, gpuFault, workerFault, notices };
}
