import type { CropBox } from './types.ts';

/**
 * Puts a map computed on the cropped box back on the full canonical grid (§2.5). `cropped`
 * is [D, H', W'] (slice, row, col) as the network outputs it; the result is X·Y·Z with i
 * fastest, like the NIfTI files. Only voxels inside the brain bounding box are copied:
 * voxels outside the box and padded voxels become background 0.
 */
export function uncrop<T extends Uint8Array | Int16Array | Float32Array>(
  cropped: T,
  box: CropBox,
  make: (length: number) => T,
): T {
  const [x, y, z] = box.dims;
  const [si, sj, sk] = box.start;
  const [w, h, d] = box.size;
  if (cropped.length !== d * h * w) {
    throw new Error(`uncrop: got ${cropped.length} values for a ${d}×${h}×${w} box`);
  }
  const out = make(x * y * z);
  const [i0, i1] = box.brain.i;
  const [j0, j1] = box.brain.j;
  const [k0, k1] = box.brain.k;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      const rowIn = ((k - sk) * h + (j - sj)) * w - si;
      const rowOut = x * (j + y * k);
      for (let i = i0; i <= i1; i++) out[rowOut + i] = cropped[rowIn + i];
    }
  }
  return out;
}

/** Label maps (uint8, BraTS values) back on the canonical grid of the box. */
export function uncropLabels(cropped: Uint8Array, box: CropBox): Uint8Array {
  return uncrop(cropped, box, (n) => new Uint8Array(n));
}

