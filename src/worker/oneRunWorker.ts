import { InputError, type InputIssueCode } from '../core/inputIssue.ts';

/** How a one-run worker ends a job: its result, or an error (an input issue when it has a code). */
export type FinalEvent<Result> = { type: 'result'; result: Result } | { type: 'error'; code: string | null; message: string };

export interface OneRun<Result> {
  result: Promise<Result>;
  /** Stops at once by terminating the worker (a wasm call cannot be interrupted); the next run starts a fresh one. */
  cancel(): void;
}

interface Active<Result, Progress> {
  resolve: (r: Result) => void;
  reject: (e: Error) => void;
  onProgress: (event: Progress) => void;
}

/**
 * A worker that runs one job at a time (the raw-study and registration workers): progress
 * events, then `result` or `error`; cancel and `dispose` terminate it, a crash fails the job;
 * otherwise it is kept (with what it compiled and loaded) for the next job.
 */
export class OneRunWorker<Request, Progress extends { type: string }, Result> {
  private worker: Worker | null = null;
  private active: Active<Result, Progress> | null = null;

  constructor(private readonly o: {
    /** `new Worker(new URL('./x.worker.ts', import.meta.url), …)`, written where the bundler sees it. */
    create: () => Worker;
    /** "the raw-study worker": how a crash names it. */
    name: string;
    /** The refusal while a job runs. */
    busy: string;
    cancelled: () => Error;
  }) {}

  run(request: Request, onProgress: (event: Progress) => void): OneRun<Result> {
    if (this.active) throw new Error(this.o.busy);
    const worker = this.start();
    let active!: Active<Result, Progress>;
    const result = new Promise<Result>((resolve, reject) => {
      active = { resolve, reject, onProgress };
    });
    this.active = active;
    worker.postMessage(request);
    return {
      result,
      cancel: () => {
        if (this.active !== active) return; // already settled
        this.stop();
        active.reject(this.o.cancelled());
      },
    };
  }

  /** Terminates the worker (and any job: it rejects as cancelled). */
  dispose(): void {
    const active = this.active;
    this.stop();
    active?.reject(this.o.cancelled());
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = this.o.create();
    worker.addEventListener('message', (ev: MessageEvent<Progress | FinalEvent<Result>>) => {
      const active = this.active;
      if (!active || worker !== this.worker) return;
      const event = ev.data;
      if (event.type !== 'result' && event.type !== 'error') return active.onProgress(event as Progress);
      this.active = null;
      const final = event as FinalEvent<Result>;
      if (final.type === 'result') active.resolve(final.result);
      else active.reject(final.code ? new InputError(final.code as InputIssueCode, final.message) : new Error(final.message));
    });
    // A crash (e.g. out of memory in a wasm module) or a message that cannot be read: fail the job, start afresh next time.
    const lost = (why: string) => {
      const active = this.active;
      this.stop();
      active?.reject(new Error(`${this.o.name} stopped: ${why}`));
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
