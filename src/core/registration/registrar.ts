import type { RigidRegistrationSettings } from './rigidParameterMap.ts';
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
