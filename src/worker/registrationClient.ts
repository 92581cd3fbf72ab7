import type { Grid, RigidRegistrationSettings, ScalarVolume, StudyRegistration, StudyVolumes } from '../core/registration/index.ts';
import { elastixPipelinesBaseUrl } from './elastixPipeline.ts';
import { OneRunWorker } from './oneRunWorker.ts';
import type { RegistrationEvent, RegistrationRequest } from './registrationProtocol.ts';

/** What a cancelled registration's promise rejects with. */
export class RegistrationCancelled extends Error {
  constructor() {
    super('Registration was cancelled.');
    this.name = 'RegistrationCancelled';
  }
}

export interface RegistrationOptions {
  /** Called as each step starts, with its name ('register T1 → T1Gd', 'resample FLAIR', …). */
  onStep?: (step: string) => void;
  registrationMm?: number;
  settings?: Partial<RigidRegistrationSettings>;
  outputGrid?: Grid;
}

export interface RegistrationRun {
  /** The study on the output grid; rejects with an InputError (bad input), RegistrationCancelled, or an Error. */
  result: Promise<StudyRegistration>;
  /** Stops the run at once by terminating the worker (elastix cannot be interrupted); the next run starts a fresh one. */
  cancel(): void;
}

type Progress = Exclude<RegistrationEvent, { type: 'result' } | { type: 'error' }>;

/**
 * Main-thread handle on the registration worker (registration.worker.ts): one study at a
 * time, step events as progress, cancel by termination. The worker is started on the first
 * run and kept (elastix's compiled pipeline with it) until a cancel or a crash.
 */
export class RegistrationWorkerClient {
  private readonly worker = new OneRunWorker<RegistrationRequest, Progress, StudyRegistration>({
    create: () => new Worker(new URL('./registration.worker.ts', import.meta.url), { type: 'module', name: 'attune-registration' }),
    name: 'The registration worker',
    busy: 'A registration is already running: cancel it or wait for it first.',
    cancelled: () => new RegistrationCancelled(),
  });

  /** `pipelinesBaseUrl`: the app's copy of elastix's pipeline, by default where the build puts it. */
  constructor(private readonly pipelinesBaseUrl = elastixPipelinesBaseUrl(self.location.href, import.meta.env.BASE_URL)) {}

  register(study: StudyVolumes, atlas: ScalarVolume, options: RegistrationOptions = {}): RegistrationRun {
    const { onStep, ...rest } = options;
    const request: RegistrationRequest = { type: 'register', study, atlas, pipelinesBaseUrl: this.pipelinesBaseUrl, ...rest };
    return this.worker.run(request, (event) => {
      if (event.type === 'step') onStep?.(event.step);
    });
  }

  /** Terminates the worker (and any run: it rejects as cancelled). */
  dispose(): void {
    this.worker.dispose();
  }
}
