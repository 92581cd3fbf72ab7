import { physicalValues } from '../volume/index.ts';
import type { NiftiVolume, VoxelArray } from '../volume/index.ts';
import { applyBiasField } from './biasField.ts';
import { applyBlur } from './blur.ts';
import { brainStats, supportOf } from './brainStats.ts';
import { applyCompressTop, applyContrast, applyGainOffset, applyGamma } from './intensity.ts';
import { applyRicianNoise } from './ricianNoise.ts';
import { applyThickSlices } from './thickSlices.ts';
import type { ShiftStep, StepContext } from './types.ts';

/** One step on float voxels; the input array is never modified. */
export function applyStep(values: Float64Array, step: ShiftStep, ctx: StepContext): Float64Array {
  switch (step.kind) {
    case 'contrast':
      return applyContrast(values, step, ctx);
    case 'biasField':
      return applyBiasField(values, step, ctx);
    case 'blur':
      return applyBlur(values, step, ctx);
    case 'thickSlices':
      return applyThickSlices(values, step, ctx);
    case 'ricianNoise':
      return applyRicianNoise(values, step, ctx);
    case 'gamma':
      return applyGamma(values, step, ctx);
    case 'compressTop':
      return applyCompressTop(values, step, ctx);
    case 'gainOffset':
      return applyGainOffset(values, step, ctx);
  }
}

/**
 * A new volume with `steps` applied to `volume`'s physical intensities (the input is not
 * modified). Same grid, header and affine. Voxels that are 0 stay 0 and voxels that are
 * not stay not (the brain mask is exactly the input's, as after skull stripping).
 * Stored type: the input's when it has no scl_slope/scl_inter scaling (integers rounded
 * and clamped to the type's range), else float32 physical values with identity scaling.
 * No steps → a copy with byte-identical voxels.
 */
export function shiftVolume(volume: NiftiVolume, steps: readonly ShiftStep[]): NiftiVolume {
  const base = {
    ...volume,
    headerBytes: volume.headerBytes.slice(),
    dims: [...volume.dims] as [number, number, number],
    spacingMm: [...volume.spacingMm] as [number, number, number],
    affine: volume.affine.map((row) => [...row]),
    scaling: { ...volume.scaling },
  };
  if (steps.length === 0) return { ...base, data: volume.data.slice() };
  const input = Float64Array.from(physicalValues(volume));
  const support = supportOf(input);
  const ctx: StepContext = { grid: volume, support, stats: brainStats(input, support) };
  let values: Float64Array = input;
  for (const step of steps) values = applyStep(values, step, ctx);

  const keepType = volume.scaling.slope === 1 && volume.scaling.inter === 0;
  const data = storeAs(keepType ? volume.data : new Float32Array(0), values, input, support);
  return keepType ? { ...base, data } : { ...base, data, datatype: 16, scaling: { slope: 1, inter: 0 } };
}

const INTEGER_RANGE = new Map<Function, [number, number]>([
  [Uint8Array, [0, 255]],
  [Int8Array, [-128, 127]],
  [Int16Array, [-32768, 32767]],
  [Uint16Array, [0, 65535]],
  [Int32Array, [-2147483648, 2147483647]],
  [Uint32Array, [0, 4294967295]],
]);

/** Values → an array of `like`'s type: rounded and clamped for integers, kept 0 / ≠ 0 as the input was. */
function storeAs(like: VoxelArray, values: Float64Array, input: Float64Array, support: Uint8Array): VoxelArray {
  const out = new (like.constructor as new (n: number) => VoxelArray)(values.length);
  const range = INTEGER_RANGE.get(like.constructor);
  for (let n = 0; n < values.length; n++) {
    if (!support[n]) continue;
    let v = values[n];
    if (range) v = Math.min(range[1], Math.max(range[0], Math.round(v)));
    // A brain voxel that rounds or clamps to 0 would leave the brain mask: keep it at the
    // smallest non-zero value of the input's sign.
    if (v === 0 || Number.isNaN(v)) v = (input[n] < 0 && range?.[0] !== 0 ? -1 : 1) * (range ? 1 : 1e-6);
    out[n] = v;
  }
  return out;
}
