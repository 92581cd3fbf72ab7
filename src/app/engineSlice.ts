import type { StateCreator } from 'zustand';
import type { BackendName, CalibrationStatus } from '../worker/protocol.ts';
import { afterLossNotice } from '../worker/workerDeath.ts';
import type { EngineOptions } from './engine.ts';
import type { AttuneState } from './store.ts';
import { WorkerKeeper, type KeptClient } from './workerKeeper.ts';

export interface EngineState {
  status: 'off' | 'starting' | 'ready' | 'failed';
  backend: BackendName | null;
  /** Why this backend (e.g. why WebGPU was not used). */
  reason: string;
  modelLabel: string;
  error: string | null;
  notices: string[];
  /** Whether the model's calibration was loaded (the signal reading and `auto` need it). */
  calibration: CalibrationStatus | null;
}

/**
 * The model worker as the page sees it: its state (backend, why, calibration, failures) and
 * the one `WorkerKeeper` that starts it and replaces it when it dies. The keeper is this
 * slice's alone; the other slices reach the running worker through `workerClient()`.
 */
export interface EngineSlice {
  engine: EngineState;
  startEngine(options: EngineOptions): void;
  /** The running worker's client, or null (not started, restarting, or given up). */
  workerClient(): KeptClient | null;
}

export const createEngineSlice: StateCreator<AttuneState, [['zustand/persist', unknown]], [], EngineSlice> = (set, get) => {
  let keeper: WorkerKeeper | null = null;
  return {
    engine: { status: 'off', backend: null, reason: '', modelLabel: '', error: null, notices: [], calibration: null },

    workerClient: () => keeper?.current ?? null,

    startEngine(options) {
      if (keeper) return;
      set({ engine: { status: 'starting', backend: null, reason: '', modelLabel: options.modelLabel, error: null, notices: options.notices, calibration: null } });
      keeper = new WorkerKeeper(options, {
        starting: () => set({ engine: { ...get().engine, status: 'starting', backend: null, error: null } }),
        ready: (r, afterLoss) => {
          const reason = afterLoss ? 'restarted on wasm after the previous worker stopped' : r.reason;
          set({ engine: { ...get().engine, status: 'ready', backend: r.backend, reason, calibration: r.calibration } });
        },
        failed: (message) => set({ engine: { ...get().engine, status: 'failed', error: message } }),
        backendChanged: (backend, reason) => set({ engine: { ...get().engine, backend, reason } }),
        lost: (error, restartedOn) => {
          if (!restartedOn) {
            set({ engine: { ...get().engine, status: 'failed', error: `${error.message}, again; reload the page to start it over` } });
          } else if (!get().runInFlight()) {
            // No run to report it on: tell the user at the top of the page.
            set({ engine: { ...get().engine, notices: [...get().engine.notices, afterLossNotice(error, 'idle', restartedOn)] } });
          }
        },
      });
      keeper.start();
    },
  };
};
