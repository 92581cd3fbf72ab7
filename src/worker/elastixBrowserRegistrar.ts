import { elastix, setPipelinesBaseUrl } from '@itk-wasm/elastix';
import { elastixRegistrar, type Registrar } from '../core/registration/index.ts';

/**
 * elastix (ITK-wasm) in the browser, for a worker (NOT YET WIRED OR TESTED IN CHROMIUM:
 * see src/core/registration/README.md, "Browser side", for what must be served and allowed).
 *
 * `pipelinesBaseUrl` must point at the app's own copy of
 * `@itk-wasm/elastix/dist/pipelines/` (elastix.js + elastix.wasm.zst): itk-wasm would
 * otherwise load them from cdn.jsdelivr.net. `webWorker: false` runs the pipeline in the
 * calling thread — this worker — instead of spawning itk-wasm's own pipeline worker.
 */
export function elastixBrowserRegistrar(pipelinesBaseUrl: string): Registrar {
  setPipelinesBaseUrl(pipelinesBaseUrl);
  return elastixRegistrar((maps, images) => elastix(maps as never, { ...images, webWorker: false } as never));
}
