/// <reference lib="webworker" />
/**
 * Registration off the main thread (issue 21, item 2): one `register` message with the four
 * native series and the atlas → `step` events → one `result` (maps, the series on the output
 * grid, quality) or `error`. elastix runs in this worker's own thread (webWorker: false), its
 * pipeline loaded from the app's origin; cancel = terminate this worker (an elastix call
 * cannot be interrupted from inside). Driven by `registrationClient.ts`; not yet part of the
 * page's flow (see src/core/registration/README.md, "Browser side").
 */
import { InputError } from '../core/inputIssue.ts';
import { registerStudy } from '../core/registration/index.ts';
import { elastixBrowserRegistrar } from './elastixBrowserRegistrar.ts';
import type { RegistrationEvent, RegistrationRequest } from './registrationProtocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: RegistrationEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);

scope.onmessage = async (message: MessageEvent<RegistrationRequest>) => {
  const request = message.data;
  if (request.type !== 'register') return;
  try {
    const registrar = elastixBrowserRegistrar(request.pipelinesBaseUrl);
    const result = await registerStudy(request.study, request.atlas, registrar, {
      registrationMm: request.registrationMm,
      settings: request.settings,
      outputGrid: request.outputGrid,
      onStep: (step) => post({ type: 'step', step }),
    });
    post({ type: 'result', result }, Object.values(result.modalities).map((m) => m.onAtlas.buffer));
  } catch (error) {
    post({ type: 'error', code: error instanceof InputError ? error.code : null, message: (error as Error).message });
  }
};
