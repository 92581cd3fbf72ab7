import type { InputIssue, InputIssueCode } from '../inputIssue.ts';

/**
 * The refusals that mean "a raw scanner study" rather than bad input: not on the 1 mm grid,
 * not skull-stripped, or four series on different grids. Input with only these (and
 * warnings) goes through the raw pipeline; any other error is still an error — and so is a
 * label map on another grid than the scans (`files`: the roles as assigned), which no
 * registration of the scans would fix.
 */
export const RAW_STUDY_CODES: readonly InputIssueCode[] = ['not-1mm-grid', 'not-skull-stripped', 'dims-mismatch', 'spacing-mismatch', 'affine-mismatch', 'oblique-grid'];

export function needsRawPipeline(issues: readonly InputIssue[], files: readonly { name: string; role: string | null }[] = []): boolean {
  const labels = new Set(files.filter((f) => f.role === 'seg').map((f) => f.name));
  const errors = issues.filter((i) => i.severity === 'error');
  return errors.length > 0 && errors.every((i) => RAW_STUDY_CODES.includes(i.code) && !i.files.some((f) => labels.has(f)));
}
