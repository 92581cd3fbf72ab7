import type { CaseFile } from '../case/types.ts';
import { InputError } from '../inputIssue.ts';
import { MODALITIES, ROLE_LABELS } from '../modality/index.ts';
import { scalarVolumeOf } from '../registration/grid.ts';
import type { StudyVolumes } from '../registration/registerStudy.ts';

/** The four series of a raw study, each on its own grid, from the files as read (roles as assigned). */
export function studyFromFiles(files: readonly CaseFile[]): StudyVolumes {
  const missing = MODALITIES.filter((m) => !files.some((f) => f.role === m && f.volume));
  if (missing.length) {
    throw new InputError('missing-modality', `A raw study needs all four series: ${missing.map((m) => ROLE_LABELS[m]).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.`);
  }
  return Object.fromEntries(MODALITIES.map((m) => [m, scalarVolumeOf(files.find((f) => f.role === m && f.volume)!.volume!)])) as StudyVolumes;
}
