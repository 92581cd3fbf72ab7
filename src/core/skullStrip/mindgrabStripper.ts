import type { SkullStripper } from '../rawStudy/skullStripper.ts';
import type { MeshnetModel } from './meshnetModel.ts';
import { stripWorkingBytes } from './stripMemory.ts';
import { stripSkullVolume } from './stripSkull.ts';

/** The raw pipeline's SkullStripper over MindGrab, on whatever tfjs backend the caller picked (Node: the CLI's; browser: the worker's). */
export function mindgrabStripper(model: MeshnetModel): SkullStripper {
  return {
    async strip(head, o = {}) {
      const { brainMask } = await stripSkullVolume(head, model, { onProgress: o.onProgress, checkCancelled: o.checkCancelled });
      return brainMask;
    },
    workingBytes: (head) => stripWorkingBytes(model, head),
  };
}
