import type { SkullStripper } from '../rawStudy/skullStripper.ts';
import type { MeshnetLimits } from './meshnetChunkPlan.ts';
import type { MeshnetModel } from './meshnetModel.ts';
import { stripWorkingBytes } from './stripMemory.ts';
import { stripSkullVolume } from './stripSkull.ts';

export interface MindgrabStripperOptions {
  /**
   * The backend's kernel limits, asked at every strip (the browser worker: the WebGPU device's,
   * none once it has fallen back to wasm; Node: none).
   */
  limits?: () => Omit<MeshnetLimits, 'maxChunkBytes'>;
  /** Before every chunk, besides the caller's cancel check: the worker's GPU-failure checkpoint. */
  checkpoint?: () => void;
}

/** The raw pipeline's SkullStripper over MindGrab, on whatever tfjs backend the caller picked (Node: the CLI's; browser: the worker's). */
export function mindgrabStripper(model: MeshnetModel, options: MindgrabStripperOptions = {}): SkullStripper {
  return {
    async strip(head, o = {}) {
      const { brainMask } = await stripSkullVolume(head, model, {
        ...options.limits?.(),
        onProgress: o.onProgress,
        checkCancelled: () => {
          o.checkCancelled?.();
          options.checkpoint?.();
        },
      });
      return brainMask;
    },
    workingBytes: (head) => stripWorkingBytes(model, head),
  };
}
