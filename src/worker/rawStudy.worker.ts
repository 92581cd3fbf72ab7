/// <reference lib="webworker" />
/**
 * A raw study made ready for the model, off the main thread (issue 21): MindGrab strips the
 * T1Gd on its own grid (tfjs, on the backend picked as the model worker picks it: WebGPU, else
 * wasm; its chunks sized to the WebGPU device's limits; a GPU failure — thrown by tfjs, reported
 * by the device, or injected by the ?gpuFault=skull-strip test hook — redoes the study on
 * wasm), elastix registers it (in this thread,
 * webWorker: false, its pipeline from the app's origin), and core's `prepareRawStudy` does the
 * rest. One `prepare` message → `backend`, `step` and `strip-progress` events → `result` |
 * `error`. Cancel = terminate this worker (an elastix call cannot be interrupted from inside).
 * MindGrab and the atlas are fetched once per worker and kept for the next study (Redo).
 */
import { InputError } from '../core/inputIssue.ts';
import { atlasBrainOnGrid, prepareRawStudy, type SkullStripper } from '../core/rawStudy/index.ts';
import { scalarVolumeOf, type ScalarVolume } from '../core/registration/index.ts';
import type { MeshnetModel } from '../core/skullStrip/index.ts';
import { readNifti } from '../core/volume/index.ts';
import { currentKernelLimits, destroyGpuDevice, pickBackend, switchToWasm, watchGpuDevice } from './backend.ts';
import { elastixBrowserRegistrar } from './elastixBrowserRegistrar.ts';
import { FaultHooks } from './faultHooks.ts';
import { GpuFailure, runWithGpuFallback } from './gpuFallback.ts';
import { fetchMindgrab, mindgrabStripper } from './mindgrab.ts';
import type { BackendName } from './protocol.ts';
import type { RawStudyAssets, RawStudyEvent, RawStudyRequest } from './rawStudyProtocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: RawStudyEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);

let backend: BackendName | null = null;
let loaded: { model: MeshnetModel; atlas: ScalarVolume } | null = null;
/** Set by the device watch (lost device, uncaptured GPU error); checked before every MindGrab chunk. */
let gpuFault: string | null = null;
/** Test hook: ?gpuFault=skull-strip, armed by the first request; fires once. */
const faults = new FaultHooks({ destroyGpuDevice, closeWorker: () => scope.close() });
let stripChunk = 0;

/** Before every MindGrab chunk on WebGPU: what the device reported, or the injected fault. */
function gpuCheckpoint(): void {
  if (backend !== 'webgpu') return;
  if (gpuFault) throw new GpuFailure(gpuFault);
  faults.onGpuCheckpoint('skull-strip', stripChunk++);
}

async function fetchAtlas(url: string): Promise<ScalarVolume> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`the SRI24 atlas could not be loaded (${r.status} ${url})`);
  return scalarVolumeOf(await readNifti(new Uint8Array(await r.arrayBuffer()), 'spgr.nii.gz'));
}

async function load(assets: RawStudyAssets, alreadyStripped: boolean) {
  if (loaded) return loaded;
  // An already stripped study needs no network: MindGrab is not fetched for it.
  const [model, atlas] = await Promise.all([alreadyStripped ? null : fetchMindgrab(assets.mindgrabModelUrl), fetchAtlas(assets.atlasUrl)]);
  if (!model) return { model: null, atlas };
  loaded = { model, atlas };
  return loaded;
}

/** A device lost during the strip's last chunk: that mask cannot be trusted either. (The memory plan still asks the stripper's own `workingBytes`.) */
function checkedOnGpu(stripper: SkullStripper): SkullStripper {
  return {
    ...stripper,
    async strip(head, o) {
      const mask = await stripper.strip(head, o);
      if (backend === 'webgpu' && gpuFault) throw new GpuFailure(gpuFault);
      return mask;
    },
  };
}

scope.onmessage = async (message: MessageEvent<RawStudyRequest>) => {
  const request = message.data;
  if (request.type !== 'prepare') return;
  try {
    if (!backend) {
      const picked = await pickBackend(request.backend);
      backend = picked.backend;
      faults.armGpuFault(request.gpuFault);
      watchGpuDevice((message) => {
        gpuFault ??= message;
      });
      post({ type: 'backend', backend, reason: picked.reason });
    }
    post({ type: 'step', step: 'load MindGrab and the atlas' });
    const t0 = performance.now();
    const { model, atlas } = await load(request.assets, request.alreadyStripped ?? false);
    const loadMs = performance.now() - t0;
    const registrar = elastixBrowserRegistrar(request.assets.elastixPipelinesBaseUrl);
    stripChunk = 0;
    const stripper: SkullStripper = model ? checkedOnGpu(mindgrabStripper(model, { limits: currentKernelLimits, checkpoint: gpuCheckpoint })) : { strip: () => Promise.reject(new Error('MindGrab is not loaded for a stripped study')) };
    const { value: prepared } = await runWithGpuFallback(
      () =>
        prepareRawStudy(request.study, { atlas, registrar, stripper }, {
          alreadyStripped: request.alreadyStripped,
          onStep: (step) => post({ type: 'step', step }),
          onStripProgress: (done, total) => post({ type: 'strip-progress', done, total }),
        }),
      {
        onGpu: () => backend === 'webgpu',
        fallBack: async (reason) => {
          await switchToWasm();
          backend = 'wasm';
          post({ type: 'backend', backend, reason: `WebGPU failed during the skull strip (${reason}); redone on wasm` });
        },
      },
    );
    const outlineStep = "the atlas's brain on its grid";
    post({ type: 'step', step: outlineStep });
    const t1 = performance.now();
    const atlasBrain = atlasBrainOnGrid(atlas, prepared.grid);
    const timings = [{ step: 'load MindGrab and the atlas', ms: loadMs }, ...prepared.timings, { step: outlineStep, ms: performance.now() - t1 }];
    const result = { prepared: { ...prepared, timings }, atlasBrain, backend: backend! };
    const buffers = new Set<ArrayBufferLike>([
      atlasBrain.buffer,
      prepared.brainOnAtlas.buffer,
      prepared.brainOnT1ce.buffer,
      ...Object.values(prepared.onAtlas).map((v) => v.buffer),
      ...Object.values(prepared.registration.modalities).map((m) => m.onAtlas.buffer),
    ]);
    post({ type: 'result', result }, [...buffers] as ArrayBuffer[]);
  } catch (error) {
    post({ type: 'error', code: error instanceof InputError ? error.code : null, message: (error as Error).message ?? String(error) });
  }
};
