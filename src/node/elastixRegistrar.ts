import { elastixNode } from '@itk-wasm/elastix';
import { InputError } from '../core/inputIssue.ts';
import { rigidParameterMap, toItkImage, worldMapFromElastix, type ParameterMap, type Registrar } from '../core/registration/index.ts';

/**
 * elastix (ITK-wasm) in Node: the pipeline's wasm ships inside the npm package
 * (`dist/pipelines/elastix.wasm.zst`, read from disk by itk-wasm's runPipelineNode), so
 * nothing is fetched. Single-threaded wasm; one call per pair of images.
 */
export function elastixNodeRegistrar(): Registrar {
  return {
    async registerRigid(fixed, moving, settings) {
      let result;
      try {
        result = await elastixNode([rigidParameterMap(settings)], {
          fixed: toItkImage(fixed, 'fixed') as never,
          moving: toItkImage(moving, 'moving') as never,
        });
      } catch (error) {
        throw new InputError('registration-failed', `Registration failed in elastix: ${(error as Error).message}`);
      }
      return worldMapFromElastix(result.transformParameterObject as unknown as ParameterMap[]);
    },
  };
}
