/**
 * How much adaptation changed the predicted tumour: |V_adapted − V_baseline| / V_baseline
 * over voxels labelled anything but background (Infinity when the baseline had none and the
 * adapted mask has some). An adaptation that doubles or erases the tumour has probably
 * drifted, whatever its objective says.
 */
export function tumourVolumeChange(baseline: ArrayLike<number>, adapted: ArrayLike<number>): number {
  let vb = 0;
  let va = 0;
  for (let i = 0; i < baseline.length; i++) {
    if (baseline[i] !== 0) vb++;
    if (adapted[i] !== 0) va++;
  }
  if (vb === 0) return va === 0 ? 0 : Infinity;
  return Math.abs(va - vb) / vb;
}
