/** Modality order is the network's channel order (models/README.md §2). */
export const MODALITIES = ['t1', 't1ce', 't2', 'flair'] as const;
export type Modality = (typeof MODALITIES)[number];

/** What a dropped file is for: one of the four scans, or the (optional) expert label map. */
export type FileRole = Modality | 'seg';
export const FILE_ROLES: readonly FileRole[] = [...MODALITIES, 'seg'];

export const ROLE_LABELS: Record<FileRole, string> = {
  t1: 'T1',
  t1ce: 'T1Gd',
  t2: 'T2',
  flair: 'FLAIR',
  seg: 'Label map',
};

export function isModality(role: FileRole | null | undefined): role is Modality {
  return (MODALITIES as readonly string[]).includes(role ?? '');
}
