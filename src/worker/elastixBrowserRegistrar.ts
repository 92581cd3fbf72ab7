import { elastix, setPipelinesBaseUrl } from '@itk-wasm/elastix';
import { InputError } from '../core/inputIssue.ts';
import { rigidParameterMap, toItkImage, worldMapFromElastix, type ParameterMap, type Registrar } from '../core/registration/index.ts';

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
  return {
    async registerRigid(fixed, moving, settings) {
      let result;
      try {
        result = await elastix([rigidParameterMap(settings)], {
          fixed: toItkImage(fixed, 'fixed') as never,
          moving: toItkImage(moving, 'moving') as never,
          webWorker: false,
        });
      } catch (error) {
        throw new InputError('registration-failed', `Registration failed in elastix: ${(error as Error).message}`);
      }
      return worldMapFromElastix(result.transformParameterObject as unknown as ParameterMap[]);
    },
  };
}
