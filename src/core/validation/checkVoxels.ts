import type { InputIssue } from '../inputIssue.ts';
import { ALLOWED_LABEL_VALUES } from '../labels/index.ts';
import { ROLE_LABELS, type Modality } from '../modality/index.ts';
import type { NiftiVolume } from '../volume/index.ts';
import { countValuesOutside, summarizeVoxels } from './voxelSummary.ts';

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

/** Label maps must hold BraTS values only; anything else means another labelling scheme. */
export function checkLabelVoxels(volume: NiftiVolume): InputIssue[] {
  const outside = countValuesOutside(volume, ALLOWED_LABEL_VALUES);
  if (outside.size === 0) return [];
  const listed = [...outside.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([value, count]) => `${Number.isNaN(value) ? 'NaN' : value} (${count} voxel${count === 1 ? '' : 's'})`);
  const more = outside.size > 6 ? ` and ${outside.size - 6} more` : '';
  return [
    {
      code: 'label-values',
      severity: 'error',
      files: [volume.name],
      message:
        `${volume.name} (label map) contains values outside {${ALLOWED_LABEL_VALUES.join(', ')}}: ` +
        `${listed.join(', ')}${more}. BraTS labels are 1 NCR, 2 ED, 4 ET.`,
    },
  ];
}
