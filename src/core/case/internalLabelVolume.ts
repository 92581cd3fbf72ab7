import { toInternalLabels, type LabelConvention } from '../labels/index.ts';
import { physicalValues, type NiftiVolume } from '../volume/index.ts';

const cache = new WeakMap<NiftiVolume, NiftiVolume>();

/**
 * The label file as Attune computes with it: a new uint8 volume in internal (BraTS 2021)
 * values on the same grid and header. The file's own volume is left as read. Cached per
 * volume because validateCase runs on every role change.
 */
export function internalLabelVolume(volume: NiftiVolume, convention: LabelConvention | null): NiftiVolume {
  const hit = cache.get(volume);
  if (hit) return hit;
  const converted: NiftiVolume = {
    ...volume,
    datatype: 2,
    data: toInternalLabels(physicalValues(volume), convention),
    scaling: { slope: 1, inter: 0 },
  };
  cache.set(volume, converted);
  return converted;
}
