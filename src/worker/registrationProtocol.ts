import type { Grid, RigidRegistrationSettings, ScalarVolume, StudyRegistration, StudyVolumes } from '../core/registration/index.ts';

/** Main thread → registration worker: register one study (native series + the atlas). */
export interface RegistrationRequest {
  type: 'register';
  study: StudyVolumes;
  atlas: ScalarVolume;
  /** Absolute URL of the app's own copy of @itk-wasm/elastix's dist/pipelines/ (elastixPipelinesBaseUrl). */
  pipelinesBaseUrl: string;
  registrationMm?: number;
  settings?: Partial<RigidRegistrationSettings>;
  /** Default: the BraTS atlas grid. */
  outputGrid?: Grid;
}

/**
 * Registration worker → main thread: each step as it starts (`registerStudy`'s names:
 * 'downsample', 'register T1Gd → atlas', …, 'resample FLAIR'), then the result, or why
 * not (an InputError's code, e.g. 'registration-failed', else null for a bug).
 */
export type RegistrationEvent =
  | { type: 'step'; step: string }
  | { type: 'result'; result: StudyRegistration }
  | { type: 'error'; code: string | null; message: string };
