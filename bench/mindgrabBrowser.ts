/**
 * MindGrab's network in the browser on one tfjs backend, for bench/mindgrabWebgpu.ts and
 * e2e/mindgrabWebgpu.spec.ts (served by the Vite dev server, never part of the app's build):
 *   /bench/mindgrabBrowser.html?backend=webgpu|wasm
 * The backend is picked as the raw-study worker picks it (`pickBackend`), the model fetched as
 * the worker fetches it (`fetchMindgrab`, the app's public/models/mindgrab/), and core's
 * `runMeshnet` gets the kernel limits the worker passes (`currentKernelLimits`). Exposes
 * `window.mindgrab(inputUrl, dims)`: the input (float32, [D, H, W], already conformed and
 * normalised) fetched from the URL the driver answers → the probabilities (or, for a large
 * volume, the p > 0.5 mask as base64), time and memory peaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { planMeshnetChunks, runMeshnet } from '../src/core/skullStrip/index.ts';
import { currentKernelLimits, pickBackend } from '../src/worker/backend.ts';
import { fetchMindgrab } from '../src/worker/mindgrab.ts';

const out = document.getElementById('out')!;
const q = new URLSearchParams(location.search);

export interface MindgrabBrowserRun {
  backend: string;
  reason: string;
  limits: ReturnType<typeof currentKernelLimits>;
  adapter: string | null;
  chunks: number;
  seconds: number;
  /** p(brain) per voxel, as runMeshnet returns it (empty when keepProbability is false). */
  probability: number[];
  /** p > 0.5 per voxel, 0/1 bytes as base64. */
  maskBase64: string;
  /** tfjs's GPU buffer pool (webgpu: numBytesAllocatedInGPU, used and free) or the wasm module's heap, peak over the chunks. */
  backendPeakBytes: number;
  /** Chromium's JS heap of this page, peak over the chunks (performance.memory). */
  jsHeapPeakBytes: number;
}

async function setUp() {
  const picked = await pickBackend(q.get('backend') === 'wasm' ? 'wasm' : undefined);
  const model = await fetchMindgrab(new URL('/models/mindgrab/model.json', location.href).href);
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string; description: string } } | null> } }).gpu;
  const info = picked.backend === 'webgpu' ? (await gpu?.requestAdapter())?.info : undefined;
  const adapter = info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') : null;
  return { picked, model, adapter };
}

const ready = setUp();

async function mindgrab(inputUrl: string, dims: [number, number, number], options: { keepProbability?: boolean } = {}): Promise<MindgrabBrowserRun> {
  const { picked, model, adapter } = await ready;
  const input = new Float32Array(await (await fetch(inputUrl)).arrayBuffer());
  const limits = currentKernelLimits();
  const memory = () => {
    const m = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
    if (m.numBytesAllocatedInGPU !== undefined) return m.numBytesAllocatedInGPU;
    // wasm: the module's heap (it only grows), not just the live tensors
    const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm;
    return wasm ? wasm.HEAPU8.buffer.byteLength : m.numBytes;
  };
  const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  let backendPeakBytes = memory();
  let jsHeapPeakBytes = heap();
  let chunks = 0;
  const t0 = performance.now();
  const probability = await runMeshnet(model, input, dims, {
    ...limits,
    onProgress: (done, total) => {
      chunks = done;
      backendPeakBytes = Math.max(backendPeakBytes, memory());
      jsHeapPeakBytes = Math.max(jsHeapPeakBytes, heap());
      if (done % 10 === 0 || done === total) out.textContent = `${picked.backend}: ${done}/${total} chunks, ${((performance.now() - t0) / 1000).toFixed(0)} s`;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    backend: picked.backend,
    reason: picked.reason,
    limits,
    adapter,
    chunks,
    seconds,
    probability: options.keepProbability === false ? [] : Array.from(probability),
    maskBase64: base64(Uint8Array.from(probability, (p) => (p > 0.5 ? 1 : 0))),
    backendPeakBytes,
    jsHeapPeakBytes,
  };
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

Object.assign(window, { mindgrab, mindgrabPlan: (dims: [number, number, number]) => ready.then(({ model }) => planMeshnetChunks({ dims, inChannels: model.inChannels, convs: model.convs, head: model.head }, currentKernelLimits())) });
void ready.then(({ picked }) => (out.textContent = `ready on ${picked.backend} (${picked.reason})`), (e) => (out.textContent = `failed: ${(e as Error).message}`));
