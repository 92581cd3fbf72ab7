import type { AdaptedEvidence, BaselineEvidence } from '../signals/evidence.ts';
import type { AutoPolicy } from './policy.ts';

export interface KeepChoice {
  keep: boolean;
  reason: string;
}

/**
 * Step 3 of `auto`: keep the adapted mask only if it did not drift from the baseline. A
 * baseline without tumour can only be left as it is: a tumour that adaptation conjures from
 * nothing is drift by the volume check, and an adapted mask as empty changes nothing.
 */
export function keepOrFallBack(baseline: BaselineEvidence, adapted: AdaptedEvidence, policy: AutoPolicy): KeepChoice {
  if (baseline.tumourVoxels === 0 && adapted.tumourVoxels === 0) {
    return { keep: false, reason: 'kept the baseline: neither the baseline nor the adapted model predicts any tumour in this scan' };
  }
  const change = `tumour volume ${adapted.volumeChange === Infinity ? 'appeared from nothing' : `changed ${(100 * adapted.volumeChange).toFixed(0)} %`}`;
  if (!(adapted.volumeChange <= policy.maxVolumeChange)) {
    return { keep: false, reason: `fell back to the baseline: ${change} (more than ${(100 * policy.maxVolumeChange).toFixed(0)} % looks like drift, not correction)` };
  }
  if (adapted.tumourVoxels === 0) return { keep: false, reason: 'fell back to the baseline: the adapted mask has no tumour left' };
  if (policy.requireEntropyDrop && !(adapted.tumourEntropy < baseline.tumourEntropy)) {
    return { keep: false, reason: `fell back to the baseline: the adapted model is not more confident inside the tumour (entropy ${adapted.tumourEntropy.toFixed(3)} vs ${baseline.tumourEntropy.toFixed(3)})` };
  }
  const confidence = `entropy inside the tumour ${baseline.tumourEntropy.toFixed(3)} → ${adapted.tumourEntropy.toFixed(3)}`;
  return { keep: true, reason: `kept because ${change} (within ${(100 * policy.maxVolumeChange).toFixed(0)} %) and ${confidence}` };
}
