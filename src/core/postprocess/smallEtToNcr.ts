/** Label values of the model contract (models/README.md §3: classes → labels [0, 1, 2, 4]). */
const NCR = 1;
const ET = 4;

/**
 * The small-ET rule of the BraTS winners (Jiang et al. 2019, Isensee et al. 2020): when the
 * whole predicted enhancing tumour (label 4) is non-empty but under `minEtVoxels`, all of it
 * becomes necrotic core (label 1). BraTS scores any ET on a scan without ET as Dice 0, and
 * such tiny predictions are more often false positives than real tiny enhancement.
 * Returns a new array; `labels` is not modified.
 */
export function smallEtToNcr(labels: Uint8Array, minEtVoxels: number): Uint8Array {
  const out = labels.slice();
  let et = 0;
  for (let n = 0; n < labels.length; n++) if (labels[n] === ET) et++;
  if (et > 0 && et < minEtVoxels) for (let n = 0; n < out.length; n++) if (out[n] === ET) out[n] = NCR;
  return out;
}
