import { labelVolumes, physicalValues, voxelVolumeMl, type MriCase } from '../core/index.ts';
import { allDice } from '../core/metrics/dice.ts';
import type { MaskSource, MaskSummary } from './store.ts';

/**
 * Volumes (and Dice when the case has a label map) of one mask on the case's grid: the
 * results table's numbers, for a run's masks (store) and an edit (editSlice) alike. Its own
 * module so the slices can use it without importing the store at run time.
 */
export function summariseMask(mriCase: MriCase, source: MaskSource, labels: ArrayLike<number>): MaskSummary {
  const reference = referenceOf(mriCase);
  return {
    source,
    volumes: labelVolumes(labels as Uint8Array, voxelVolumeMl(mriCase.modalities.t1)),
    dice: reference ? allDice(labels, reference) : null,
  };
}

/** The expert label's values, decoded once per case (an edit re-measures after every stroke). */
const references = new WeakMap<object, ArrayLike<number>>();
function referenceOf(mriCase: MriCase): ArrayLike<number> | null {
  const label = mriCase.label;
  if (!label) return null;
  let values = references.get(label);
  if (!values) references.set(label, (values = physicalValues(label)));
  return values;
}
