import type { InputIssue } from '../inputIssue.ts';
import { MODALITIES, isModality, type Modality } from '../modality/index.ts';
import { checkLabelVoxels, checkOrientation, checkPreprocessing, checkRoles, checkSameGrid, checkScanVoxels, labelConventionOf, type RoleVolume } from '../validation/index.ts';
import { internalLabelVolume } from './internalLabelVolume.ts';
import type { NiftiVolume } from '../volume/index.ts';
import type { CaseCheck, CaseFile, MriCase } from './types.ts';

/**
 * Checks the files under their current roles and, when nothing is wrong, assembles the
 * case. Re-run after every reassignment: it is cheap (voxel scans are cached).
 */
export function validateCase(files: CaseFile[]): CaseCheck {
  const issues: InputIssue[] = files.flatMap((f) => (f.readIssue ? [f.readIssue] : []));
  issues.push(...checkRoles(files.map((f) => ({ name: f.name, role: f.role, readable: f.volume !== null }))));

  const assigned: RoleVolume[] = files
    .filter((f): f is CaseFile & { volume: NiftiVolume } => f.volume !== null && f.role !== null)
    .map((f) => ({ role: f.role!, volume: f.volume }));
  for (const { role, volume } of assigned) {
    issues.push(...(isModality(role) ? checkScanVoxels(volume, role) : checkLabelVoxels(volume)));
  }
  const scans = assigned.filter((a): a is { role: Modality; volume: NiftiVolume } => isModality(a.role));
  issues.push(...checkPreprocessing(scans));
  // The reference is the first modality in channel order, so messages are stable.
  const ordered = [...assigned].sort((a, b) => roleOrder(a.role) - roleOrder(b.role));
  if (ordered.length > 1) issues.push(...checkSameGrid(ordered[0], ordered.slice(1)));
  if (ordered.length > 0) issues.push(...checkOrientation(ordered[0].volume));

  issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const ok = !issues.some((i) => i.severity === 'error');
  return { issues, mriCase: ok ? assemble(assigned) : null };
}

function roleOrder(role: RoleVolume['role']): number {
  return isModality(role) ? MODALITIES.indexOf(role) : MODALITIES.length;
}

/** The case as the engine uses it: the label map (if any) in internal BraTS 2021 values. */
function assemble(assigned: RoleVolume[]): MriCase {
  const modalities = {} as Record<Modality, NiftiVolume>;
  let label: NiftiVolume | null = null;
  let labelConvention: MriCase['labelConvention'] = null;
  for (const { role, volume } of assigned) {
    if (isModality(role)) modalities[role] = volume;
    else {
      const guess = labelConventionOf(volume);
      labelConvention = guess.kind === 'ok' ? guess.convention : null;
      label = internalLabelVolume(volume, labelConvention);
    }
  }
  return { modalities, label, labelConvention };
}
