import { InputError, type InputIssueCode } from '../core/inputIssue.ts';
import type { Grid, RigidRegistrationSettings, ScalarVolume, StudyRegistration, StudyVolumes } from '../core/registration/index.ts';
import { elastixPipelinesBaseUrl } from './elastixPipeline.ts';
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

interface Active {
  resolve: (r: StudyRegistration) => void;
  reject: (e: Error) => void;
  onStep?: (step: string) => void;
}

/**
 * Main-thread handle on the registration worker (registration.worker.ts): one study at a
 * time, step events as progress, cancel by termination. The worker is started on the first
 * run and kept (elastix's compiled pipeline with it) until a cancel or a crash.
 */
export class RegistrationWorkerClient {
  private worker: Worker | null = null;
  private active: Active | null = null;

  /** `pipelinesBaseUrl`: the app's copy of elastix's pipeline, by default where the build puts it. */
  constructor(private readonly pipelinesBaseUrl = elastixPipelinesBaseUrl(self.location.href, import.meta.env.BASE_URL)) {}

  register(study: StudyVolumes, atlas: ScalarVolume, options: RegistrationOptions = {}): RegistrationRun {
    if (this.active) throw new Error('A registration is already running: cancel it or wait for it first.');
    const worker = this.start();
    let active!: Active;
    const result = new Promise<StudyRegistration>((resolve, reject) => {
      active = { resolve, reject, onStep: options.onStep };
    });
    this.active = active;
    const { onStep: _, ...rest } = options;
    const request: RegistrationRequest = { type: 'register', study, atlas, pipelinesBaseUrl: this.pipelinesBaseUrl, ...rest };
    worker.postMessage(request);
    return {
      result,
      cancel: () => {
        if (this.active !== active) return; // already settled
        this.stop();
        active.reject(new RegistrationCancelled());
      },
    };
  }

  /** Terminates the worker (and any run: it rejects as cancelled). */
  dispose(): void {
    const active = this.active;
    this.stop();
    active?.reject(new RegistrationCancelled());
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./registration.worker.ts', import.meta.url), { type: 'module', name: 'attune-registration' });
    worker.addEventListener('message', (ev: MessageEvent<RegistrationEvent>) => {
      const active = this.active;
      if (!active || worker !== this.worker) return;
      const event = ev.data;
      if (event.type === 'step') {
        active.onStep?.(event.step);
        return;
      }
      this.active = null;
      if (event.type === 'result') active.resolve(event.result);
      else active.reject(event.code ? new InputError(event.code as InputIssueCode, event.message) : new Error(event.message));
    });
    // A crash (e.g. out of memory in elastix's wasm) or a message that cannot be read: fail the run, start afresh next time.
    const lost = (why: string) => {
      const active = this.active;
      this.stop();
      active?.reject(new Error(`The registration worker stopped: ${why}`));
    };
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      lost(e.message || 'it crashed');
    });
    worker.addEventListener('messageerror', () => lost('a message could not be read'));
    this.worker = worker;
    return worker;
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.active = null;
  }
}
