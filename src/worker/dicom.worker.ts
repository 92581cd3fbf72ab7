/// <reference lib="webworker" />
import factory from '@niivue/dcm2niix-dist/dcm2niix.jpeg.js';
import wasmUrl from '@niivue/dcm2niix-dist/dcm2niix.jpeg.wasm?url';
import { convertDicomStudy, emscriptenConverter } from '../core/dicom/index.ts';
import type { DicomEvent, DicomRequest } from './dicomProtocol.ts';

/**
 * DICOM → NIfTI off the main thread: dcm2niix's wasm (the jpeg build: JPEG, JPEG-LS,
 * JPEG 2000, RLE) through core's `convertDicomStudy`, the same path Node runs. The wasm is
 * a file of the app's own build (the `?url` import), fetched once from the app's origin and
 * handed to Emscripten as bytes, so it never looks anywhere else. Kept apart from the model
 * worker: a study converts while the model loads, and a crash here cannot take a run with it.
 */
declare const self: DedicatedWorkerGlobalScope;

let wasm: Promise<ArrayBuffer> | null = null;
const wasmBytes = () => {
  wasm ??= fetch(wasmUrl).then((r) => {
    if (!r.ok) throw new Error(`dcm2niix's wasm could not be loaded (${r.status} ${r.statusText})`);
    return r.arrayBuffer();
  });
  // A failed fetch is retried on the next drop instead of being remembered.
  wasm.catch(() => (wasm = null));
  return wasm;
};
const converter = emscriptenConverter(factory, wasmBytes);

self.addEventListener('message', async (ev: MessageEvent<DicomRequest>) => {
  const { id, files } = ev.data;
  try {
    const study = await convertDicomStudy(files, converter);
    const event: DicomEvent = { type: 'converted', id, study };
    self.postMessage(event, study.series.map((s) => s.nifti.buffer as ArrayBuffer));
  } catch (err) {
    const event: DicomEvent = { type: 'convert-error', id, message: (err as Error)?.message ?? String(err) };
    self.postMessage(event);
  }
});
