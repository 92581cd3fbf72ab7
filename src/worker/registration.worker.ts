/// <reference lib="webworker" />
/**
 * Registration off the main thread (issue 21, item 2): one `register` message with the four
 * native series and the atlas → `step` events → one `result` (maps, the series on the atlas
 * grid, quality) or `error`. Cancel = terminate this worker: an elastix call cannot be
 * interrupted from inside. NOT YET WIRED INTO THE APP OR TESTED IN CHROMIUM (see
 * src/core/registration/README.md, "Browser side").
 */
import { InputError } from '../core/inputIssue.ts';
import { registerStudy, type ScalarVolume, type StudyRegistration, type StudyVolumes } from '../core/registration/index.ts';
import { elastixBrowserRegistrar } from './elastixBrowserRegistrar.ts';

export interface RegistrationRequest {
  type: 'register';
  study: StudyVolumes;
  atlas: ScalarVolume;
  /** Absolute URL of the app's own copy of @itk-wasm/elastix's dist/pipelines/. */
  pipelinesBaseUrl: string;
  registrationMm?: number;
}

export type RegistrationEvent =
  | { type: 'step'; step: string }
  | { type: 'result'; result: StudyRegistration }
  | { type: 'error'; code: string | null; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: RegistrationEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);

scope.onmessage = async (message: MessageEvent<RegistrationRequest>) => {
  const request = message.data;
  if (request.type !== 'register') return;
  try {
    const registrar = elastixBrowserRegistrar(request.pipelinesBaseUrl);
    const result = await registerStudy(request.study, request.atlas, registrar, {
      registrationMm: request.registrationMm,
      onStep: (step) => post({ type: 'step', step }),
    });
    post({ type: 'result', result }, Object.values(result.modalities).map((m) => m.onAtlas.buffer));
  } catch (error) {
    post({ type: 'error', code: error instanceof InputError ? error.code : null, message: (error as Error).message });
  }
};
