import { describe, expect, it } from 'vitest';
import type { Ready } from '../worker/client.ts';
import type { BackendName } from '../worker/protocol.ts';
import { afterLossNotice, WorkerLost } from '../worker/workerDeath.ts';
import { SHIPPED_MODEL } from '../worker/shippedModel.ts';
import type { EngineOptions } from './engine.ts';
import { MAX_RESTARTS, WorkerKeeper, type KeptClient, type MakeClient } from './workerKeeper.ts';

/** A stand-in client: resolves `ready` on the backend it was asked for, and can be killed. */
function fakeClients() {
  const made: { options: Parameters<MakeClient>[1]; client: KeptClient; kill: (e: WorkerLost) => void }[] = [];
  const make: MakeClient = (_model, options) => {
    const backend: BackendName = options.backend ?? 'webgpu';
    const client: KeptClient = {
      ready: Promise.resolve({ type: 'ready', backend, reason: 'test', modelInfo: { contractVersion: 1, widths: [4] }, calibration: { state: 'missing', message: 'test' } } satisfies Ready),
      run: () => { throw new Error('not used'); },
      shift: () => Promise.reject(new Error('not used')),
      terminate: () => undefined,
      onBackendChange: null,
      onLost: null,
    };
    made.push({ options, client, kill: (e) => client.onLost?.(e) });
    return client;
  };
  return { made, make };
}

function recorder() {
  const log: string[] = [];
  return {
    log,
    events: {
      starting: () => log.push('starting'),
      ready: (r: Ready, afterLoss: boolean) => log.push(`ready ${r.backend}${afterLoss ? ' (after a loss)' : ''}`),
      failed: (m: string) => log.push(`failed ${m}`),
      backendChanged: (b: BackendName) => log.push(`backend ${b}`),
      lost: (e: WorkerLost, on: BackendName | null) => log.push(`lost ${e.cause} → ${on ?? 'given up'}`),
    },
  };
}

const options: EngineOptions = { model: SHIPPED_MODEL, modelLabel: 'attune-brats-inst18', gpuFault: 'adaptation', workerFault: 'exit', notices: [] };
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('WorkerKeeper', () => {
  it('starts a fresh worker on wasm when a WebGPU worker dies, without the test hooks, and reports both', async () => {
    const { made, make } = fakeClients();
    const { log, events } = recorder();
    const keeper = new WorkerKeeper(options, events, make);
    keeper.start();
    await flush();
    expect(made[0].options).toEqual({ backend: undefined, gpuFault: 'adaptation', workerFault: 'exit' });
    expect(log).toEqual(['starting', 'ready webgpu']);

    made[0].kill(new WorkerLost('vanished', ''));
    expect(keeper.current).toBe(made[1].client);
    expect(made[1].options).toEqual({ backend: 'wasm' }); // the hooks fire once, for the first worker
    await flush();
    expect(log.slice(2)).toEqual(['lost vanished → wasm', 'starting', 'ready wasm (after a loss)']);
  });

  it('ignores a late loss report from a worker it already replaced', async () => {
    const { made, make } = fakeClients();
    const { log, events } = recorder();
    const keeper = new WorkerKeeper(options, events, make);
    keeper.start();
    made[0].kill(new WorkerLost('crashed', 'x'));
    made[0].kill(new WorkerLost('message-lost', ''));
    await flush();
    expect(made).toHaveLength(2);
    expect(log.filter((l) => l.startsWith('lost'))).toEqual(['lost crashed → wasm']);
  });

  it(`gives up after ${MAX_RESTARTS} restarts instead of looping, and says so`, async () => {
    const { made, make } = fakeClients();
    const { log, events } = recorder();
    const keeper = new WorkerKeeper(options, events, make);
    keeper.start();
    for (let n = 0; n <= MAX_RESTARTS; n++) made[n].kill(new WorkerLost('vanished', ''));
    await flush();
    expect(made).toHaveLength(MAX_RESTARTS + 1);
    expect(keeper.current).toBeNull();
    expect(log.filter((l) => l.startsWith('lost')).at(-1)).toBe('lost vanished → given up');
  });
});

describe('what the page says after a worker death', () => {
  it('names the cause in plain words, what was kept and what to do', () => {
    expect(afterLossNotice(new WorkerLost('vanished', ''), 'run', 'wasm')).toBe(
      'The part of Attune that runs the model (its worker) stopped: the browser stopped it without an error — usually because it ran out of memory. ' +
        'This run was lost; the case you loaded and the results you already had are kept. A fresh worker was started on WebAssembly (wasm); press Run to try again.',
    );
    expect(afterLossNotice(new WorkerLost('crashed', 'RuntimeError: unreachable'), 'idle', 'wasm')).toBe(
      'The part of Attune that runs the model (its worker) stopped: it crashed (RuntimeError: unreachable). Nothing you loaded was lost. ' +
        'A fresh worker was started on WebAssembly (wasm); press Run to try again.',
    );
    expect(afterLossNotice(new WorkerLost('message-lost', ''), 'run', null)).toContain('reload the page');
  });
});
