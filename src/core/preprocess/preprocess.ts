import { InputError } from '../inputIssue.ts';
import { MODALITIES, ROLE_LABELS, type Modality } from '../modality/index.ts';
import { orientationPlan, toCanonical } from '../orientation/index.ts';
import { physicalValues, type NiftiVolume, type VoxelArray } from '../volume/index.ts';
import { brainMask, maskBoundingBox } from './brainMask.ts';
import { cropBoxFor } from './cropBox.ts';
import { modalityStats } from './modalityStats.ts';
import type { ModalityStats, PreprocessedCase } from './types.ts';

/**
 * models/README.md §2, exactly: the four scans brought to the canonical L, P, S axes
 * (§1: flips and axis permutations from the header's affine, no resampling); brain mask = any modality non-zero; per-modality z-score
 * over the mask (float64 statistics, background 0); crop to the mask's bounding box,
 * padded in-plane to multiples of 16 (centred, extra voxel after), k not padded; output
 * NHWC slices with channels [t1, t1ce, t2, flair] in float32.
 * Inputs are the four scans on one grid (validateCase guarantees it); they are only read.
 * Throws InputError for an empty mask, a constant modality (σ = 0) or an oblique grid.
 */
export function preprocess(modalities: Record<Modality, ScanVolume>): PreprocessedCase {
  const inputDims = modalities.t1.dims;
  const orientation = orientationPlan(modalities.t1.affine, inputDims, modalities.t1.name);
  const dims = orientation.dims;
  const [x, y] = dims;
  const voxelCount = dims[0] * dims[1] * dims[2];
  const channels: VoxelArray[] = MODALITIES.map((m) => {
    const vol = modalities[m];
    if (vol.dims.some((n, a) => n !== inputDims[a])) {
      throw new Error(`preprocess: ${vol.name} is ${vol.dims.join('×')}, expected ${inputDims.join('×')}`);
    }
    return toCanonical(physicalValues(vol), orientation);
  });

  const mask = brainMask(channels, voxelCount);
  const brain = maskBoundingBox(mask, dims);
  if (!brain) {
    throw new InputError('empty-brain-mask', 'Every voxel of all four scans is 0: there is no brain to segment.');
  }
  const stats = {} as Record<Modality, ModalityStats>;
  let maskVoxels = 0;
  for (let n = 0; n < voxelCount; n++) maskVoxels += mask[n];
  MODALITIES.forEach((m, c) => {
    const s = modalityStats(channels[c], mask);
    if (!(s.std > 0) || !Number.isFinite(s.std)) {
      const name = modalities[m].name;
      throw new InputError(
        'constant-volume',
        `${name} (${ROLE_LABELS[m]}) has the same value everywhere inside the brain (σ = 0), so it cannot be normalised.`,
        [name],
      );
    }
    stats[m] = s;
  });

  const box = cropBoxFor(dims, brain);
  const [si, sj, sk] = box.start;
  const [w, h, d] = box.size;
  const input = new Float32Array(d * h * w * 4);
  const means = MODALITIES.map((m) => stats[m].mean);
  const stds = MODALITIES.map((m) => stats[m].std);
  for (let s = 0; s < d; s++) {
    const k = sk + s;
    for (let row = 0; row < h; row++) {
      const j = sj + row;
      if (j < 0 || j >= y) continue; // padding outside the volume stays 0
      for (let col = 0; col < w; col++) {
        const i = si + col;
        if (i < 0 || i >= x) continue;
        const n = i + x * (j + y * k);
        if (mask[n] === 0) continue; // background is 0 after normalisation
        const out = ((s * h + row) * w + col) * 4;
        for (let c = 0; c < 4; c++) input[out + c] = (channels[c][n] - means[c]) / stds[c];
      }
    }
  }
  return { orientation, box, stats, maskVoxels, input, shape: [d, h, w, 4] };
}

/** What preprocessing reads of a scan (all a worker is sent): voxels, scaling, grid and affine. */
export type ScanVolume = Pick<NiftiVolume, 'name' | 'dims' | 'data' | 'scaling' | 'affine'>;

/** The NHWC input of one slice of the box (s = 0 … D−1), a view into `pre.input`. */
export function sliceInput(pre: PreprocessedCase, s: number): Float32Array {
  const [, h, w, c] = pre.shape;
  return pre.input.subarray(s * h * w * c, (s + 1) * h * w * c);
}
