import type { InputIssue } from '../inputIssue.ts';
import { detectLabelConvention, type LabelConventionGuess } from '../labels/index.ts';
import { ROLE_LABELS, type Modality } from '../modality/index.ts';
import type { NiftiVolume } from '../volume/index.ts';
import { labelValueCounts, summarizeVoxels } from './voxelSummary.ts';

/** A scan must be finite (z-scoring would turn one NaN into an all-NaN input) and not empty. */
export function checkScanVoxels(volume: NiftiVolume, modality: Modality): InputIssue[] {
  const issues: InputIssue[] = [];
  const { nonFinite, nonZero } = summarizeVoxels(volume);
  const who = `${volume.name} (${ROLE_LABELS[modality]})`;
  if (nonFinite > 0) {
    issues.push({
      code: 'non-finite',
      severity: 'error',
      files: [volume.name],
      message: `${who} contains ${nonFinite} non-finite voxel${nonFinite === 1 ? '' : 's'} (NaN or ±Infinity); re-export it with finite values.`,
    });
  }
  if (nonZero === 0 && nonFinite === 0) {
    issues.push({
      code: 'all-zero',
      severity: 'error',
      files: [volume.name],
      message: `${who} is empty: every voxel is 0. Check that the right file was exported.`,
    });
  }
  return issues;
}

const guesses = new WeakMap<NiftiVolume, { guess: LabelConventionGuess; counts: Map<number, number>; more: number }>();

/** The label map's convention as its values say (cached: the case is re-validated often). */
export function labelConventionOf(volume: NiftiVolume): LabelConventionGuess {
  return inspectLabels(volume).guess;
}

function inspectLabels(volume: NiftiVolume) {
  const hit = guesses.get(volume);
  if (hit) return hit;
  const { counts, more } = labelValueCounts(volume);
  const values = [...counts.keys()];
  const guess: LabelConventionGuess = more > 0
    ? { kind: 'foreign', values: values.filter((v) => !(v >= 0 && v <= 4 && Number.isInteger(v))) }
    : detectLabelConvention(values);
  const result = { guess, counts, more };
  guesses.set(volume, result);
  return result;
}

const voxels = (count: number) => `${count} voxel${count === 1 ? '' : 's'}`;
const CONVENTIONS = `BraTS 2021 labels are 1 NCR, 2 ED, 4 ET; BraTS 2023+ labels are 1 NCR, 2 ED, 3 ET`;

/**
 * Label maps must use one of the BraTS conventions (2021: ET = 4; 2023+: ET = 3).
 * Anything else — other values, or 3 and 4 together — is another labelling scheme, and
 * Dice against it would be meaningless; the message lists the values found.
 */
export function checkLabelVoxels(volume: NiftiVolume): InputIssue[] {
  const { guess, counts, more } = inspectLabels(volume);
  if (guess.kind === 'ok') return [];
  const found = [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(0, 8)
    .map(([value, count]) => `${Number.isNaN(value) ? 'NaN' : value} (${voxels(count)})`);
  const rest = counts.size > 8 || more > 0 ? ', …' : '';
  const message =
    guess.kind === 'both-et'
      ? `${volume.name} (label map) holds both 3 (${voxels(counts.get(3)!)}) and 4 (${voxels(counts.get(4)!)}). ` +
        `${CONVENTIONS}: a map with both is neither, so which voxels are enhancing tumour cannot be told. Values found: ${found.join(', ')}${rest}.`
      : `${volume.name} (label map) contains values that no BraTS convention uses: ` +
        `${guess.values.slice(0, 6).map((v) => (Number.isNaN(v) ? 'NaN' : String(v))).join(', ')}${guess.values.length > 6 || more > 0 ? ', …' : ''}. ` +
        `${CONVENTIONS}. Values found: ${found.join(', ')}${rest}.`;
  return [{ code: 'label-values', severity: 'error', files: [volume.name], message }];
}
