/** Whether a label map has any tumour voxel (any label but background): a mask without one is the answer "no tumour found", shown as such. */
export function hasTumour(labels: ArrayLike<number>): boolean {
  for (let n = 0; n < labels.length; n++) if (labels[n] !== 0) return true;
  return false;
}
