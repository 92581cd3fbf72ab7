import { InputError } from '../inputIssue.ts';
import { worldMapFromElastix, type ParameterMap } from './elastixTransform.ts';
import { toItkImage, type ItkImage3D } from './itkSpace.ts';
import { rigidParameterMap, type RigidRegistrationSettings } from './rigidParameterMap.ts';
import type { ScalarVolume, WorldMap } from './types.ts';

/**
 * What the pipeline needs from a registration engine: a rigid map from the fixed world to
 * the moving world (RAS mm). The elastix call sits behind it (Node: src/node/elastixRegistrar.ts;
 * browser: a worker with the pipelines served from our own origin), so the math around it
 * is testable without wasm.
 */
export interface Registrar {
  registerRigid(fixed: ScalarVolume, moving: ScalarVolume, settings?: Partial<RigidRegistrationSettings>): Promise<WorldMap>;
}

/** One elastix run as a platform calls it: parameter maps and two images in, the transform parameters out. */
export type RunElastix = (
  parameterMaps: ParameterMap[],
  images: { fixed: ItkImage3D; moving: ItkImage3D },
) => Promise<{ transformParameterObject: unknown }>;

/**
 * The Registrar over elastix, whichever platform runs it (Node's pipeline or the browser's):
 * the rigid parameter map, the images in ITK's LPS space, a failure said as the input issue
 * it is, and the world map read back from elastix's transform parameters.
 */
export function elastixRegistrar(runElastix: RunElastix): Registrar {
  return {
    async registerRigid(fixed, moving, settings) {
      let result;
      try {
        result = await runElastix([rigidParameterMap(settings)], { fixed: toItkImage(fixed, 'fixed'), moving: toItkImage(moving, 'moving') });
      } catch (error) {
        throw new InputError('registration-failed', `Registration failed in elastix: ${elastixFailure(error)}`);
      }
      return worldMapFromElastix(result.transformParameterObject as ParameterMap[]);
    },
  };
}

/**
 * What went wrong, in words. The pipeline's release build throws a C++ exception as a bare
 * number, with nothing on stderr (measured: empty images), which would otherwise read "undefined".
 */
function elastixFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'number') return 'elastix stopped on an internal error without giving a reason; check that both images show the head and overlap';
  return String(error);
}
