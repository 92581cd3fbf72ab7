import type { InputIssue, InputIssueCode } from '../inputIssue.ts';
import { OBLIQUE_ADVICE } from '../orientation/index.ts';
import { bratsAtlasGrid } from '../registration/index.ts';
import { REQUIRED_PREPROCESSING, SAME_GRID_ADVICE } from '../validation/index.ts';

/** One step of preparing a raw study, in the words the Checks panel shows, with the checks' findings it resolves. */
export interface PreparationStep {
  id: 'strip' | 'register' | 'resample';
  /** The step's name ('Skull strip', or 'No skull strip' for a stripped T1Gd). */
  title: string;
  /** What it does. */
  does: string;
  /** What the checks found that this step resolves: each finding's facts, without its advice to preprocess elsewhere. */
  resolves: { code: InputIssueCode; found: string; files: string[] }[];
}

/** Which step resolves each raw-study refusal (`RAW_STUDY_CODES`). */
const RESOLVED_BY: Partial<Record<InputIssueCode, PreparationStep['id']>> = {
  'not-skull-stripped': 'strip',
  'dims-mismatch': 'register',
  'spacing-mismatch': 'register',
  'affine-mismatch': 'register',
  'oblique-grid': 'resample',
  'not-1mm-grid': 'resample',
};

/** Said once, after the steps: the alternative the refusals used to be the only way to. */
export const PREPARE_ELSEWHERE =
  'Or preprocess the scans yourself — skull stripping (e.g. HD-BET or FSL BET), co-registration of the four modalities to one grid, ' +
  'resampling to 1 × 1 × 1 mm voxels (e.g. the BraTS/FeTS pipeline in CaPTk, or ANTs/FSL) — and drop them again.';

/** The advice each refusal ends with: what preparing here replaces. */
const ADVICE = [REQUIRED_PREPROCESSING, OBLIQUE_ADVICE, ...Object.values(SAME_GRID_ADVICE)];

/** An issue's facts (which file, what is wrong) without the advice to preprocess elsewhere it ends with. */
export function issueFinding(issue: InputIssue): string {
  return ADVICE.reduce((text, advice) => text.replace(advice, ''), issue.message).trim();
}

/**
 * What preparing a raw study does (issue 21), for a drop the checks refused only as a raw
 * study (`needsRawPipeline`): the steps `prepareRawStudy` runs, in order, each with the
 * refusals it resolves, so the Checks can present them as work to be done rather than as
 * errors. `alreadyStripped`: the T1Gd is skull-stripped already (the app's and the CLI's
 * `isAlreadyStripped`), so no network runs and its non-zero voxels are the brain mask.
 */
export function preparationPlan(issues: readonly InputIssue[], options: { alreadyStripped: boolean }): PreparationStep[] {
  const [x, y, z] = bratsAtlasGrid().dims;
  const steps: PreparationStep[] = [
    options.alreadyStripped
      ? { id: 'strip', title: 'No skull strip', does: 'the T1Gd is already skull-stripped (0 outside the brain), so its non-zero voxels are the brain mask.', resolves: [] }
      : { id: 'strip', title: 'Skull strip', does: 'MindGrab finds the brain on the T1Gd, on its own grid.', resolves: [] },
    { id: 'register', title: 'Register', does: "the T1Gd's brain onto the SRI24 atlas, then the T1, T2 and FLAIR onto the T1Gd (elastix, rigid).", resolves: [] },
    { id: 'resample', title: 'Resample', does: `each series once onto the atlas's axis-aligned ${x}×${y}×${z} grid of 1 mm voxels, with the brain mask applied to all four.`, resolves: [] },
  ];
  for (const issue of issues) {
    const id = issue.severity === 'error' ? RESOLVED_BY[issue.code] : undefined;
    if (id) steps.find((s) => s.id === id)!.resolves.push({ code: issue.code, found: issueFinding(issue), files: [...issue.files] });
  }
  return steps;
}
