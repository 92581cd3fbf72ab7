import type { BackendName } from './protocol.ts';

/**
 * When the worker itself dies mid-run — the browser kills a worker that runs out of memory
 * without any event, a crash surfaces as an `error` event, a message can fail to arrive
 * (`messageerror`) — nothing would ever answer the run. The client notices (client.ts),
 * rejects what was pending with WorkerLost, and the app starts a fresh worker
 * (app/workerKeeper.ts). Pure: no tfjs, no DOM; unit-tested in Node.
 */

/** How a worker was lost, as the client saw it. */
export type WorkerLossCause = 'vanished' | 'crashed' | 'message-lost';

/** Rejects the runs and requests that were waiting on a worker that is gone. */
export class WorkerLost extends Error {
  constructor(readonly cause: WorkerLossCause, readonly detail: string) {
    super(lossDescription(cause, detail));
    this.name = 'WorkerLost';
  }
}

/** What happened, in words for the person at the screen. */
export function lossDescription(cause: WorkerLossCause, detail: string): string {
  const why =
    cause === 'vanished'
      ? 'the browser stopped it without an error — usually because it ran out of memory'
      : cause === 'crashed'
        ? `it crashed${detail ? ` (${detail})` : ''}`
        : 'a message from it could not be read';
  return `The part of Attune that runs the model (its worker) stopped: ${why}`;
}

/** The notice after a loss: what happened, what was kept, what to do. */
export function afterLossNotice(error: WorkerLost, during: 'run' | 'idle', restartedOn: BackendName | null): string {
  const what = during === 'run' ? 'This run was lost; the case you loaded and the results you already had are kept.' : 'Nothing you loaded was lost.';
  if (!restartedOn) return `${error.message}. ${what} It has stopped several times now; reload the page to start it again.`;
  const backend = restartedOn === 'wasm' ? 'WebAssembly (wasm)' : 'WebGPU';
  return `${error.message}. ${what} A fresh worker was started on ${backend}; press Run to try again.`;
}

/**
 * Test hook (`?workerFault=` in the app): the worker dies during the first adaptation
 * iteration after the first — 'exit' closes itself without a word (as an out-of-memory
 * kill looks to the page), 'crash' throws an uncaught error and stops answering.
 */
export type WorkerFault = 'exit' | 'crash';

export function isWorkerFault(value: string | null): value is WorkerFault {
  return value === 'exit' || value === 'crash';
}
