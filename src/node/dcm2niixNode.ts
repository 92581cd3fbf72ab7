import { readFile } from 'node:fs/promises';
import { emscriptenConverter, type Dcm2niixFactory, type DicomConverter } from '../core/dicom/index.ts';

/**
 * dcm2niix in Node: the very Emscripten build (`@niivue/dcm2niix` 1.2.0's jpeg variant)
 * the app's worker runs, through the same `emscriptenConverter`. The package says it is
 * for browsers because its entry point starts a Web Worker; its Emscripten module itself
 * is built for web, worker and Node. Its `exports` map only exposes that entry point, so
 * the module and wasm are found beside it (import.meta.resolve → dist/), and the wasm bytes
 * are read here and handed over (no fetch, no locateFile).
 */
let factory: Promise<{ load: Dcm2niixFactory; wasm: Uint8Array }> | null = null;

function loadOnce() {
  factory ??= (async () => {
    const entry = import.meta.resolve('@niivue/dcm2niix');
    const module = (await import(new URL('./dcm2niix.jpeg.js', entry).href)) as { default: Dcm2niixFactory };
    const wasm = new Uint8Array(await readFile(new URL('./dcm2niix.jpeg.wasm', entry)));
    return { load: module.default, wasm };
  })();
  return factory;
}

export function nodeDicomConverter(): DicomConverter {
  return emscriptenConverter(
    async (options) => (await loadOnce()).load(options),
    async () => (await loadOnce()).wasm,
  );
}
