import type { InputFile } from '../case/types.ts';
import type { InputIssue } from '../inputIssue.ts';
import { checkRoles } from '../validation/checkRoles.ts';
import type { ConvertedSeries, DicomStudy } from './types.ts';

/**
 * The series a user may use, as files for the assignment table: each with the role its
 * fields gave it (or none) and the reason, so the table shows the same choices it shows
 * for dropped NIfTI files and the user can confirm or fix them. Skipped series (localiser,
 * diffusion, derived …) are not offered; they stay listed with their reason.
 */
export function studyCaseInputs(study: DicomStudy): InputFile[] {
  return offered(study).map((s) => ({ name: s.niftiName, bytes: s.nifti, role: s.decision.role, roleReason: s.decision.reason }));
}

function offered(study: DicomStudy): ConvertedSeries[] {
  return study.series.filter((s) => s.decision.skip === null);
}

/**
 * The role checks of the automatic assignment (missing modality, two series for one role)
 * with the very messages the app's table gives: `attune convert` prints them.
 */
export function studyRoleIssues(study: DicomStudy): InputIssue[] {
  if (offered(study).length === 0) return [];
  return checkRoles(offered(study).map((s) => ({ name: s.niftiName, role: s.decision.role, readable: true })));
}
