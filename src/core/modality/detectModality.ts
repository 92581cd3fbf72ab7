import type { FileRole } from './modalities.ts';

/**
 * Name tokens that say which role a file plays. Covers BraTS 2021 (`_t1ce`), BraTS 2023
 * (`-t1n`, `-t1c`, `-t2w`, `-t2f`), BIDS-like (`_T1w`, `_FLAIR`) and common aliases.
 */
const ROLE_TOKENS: Record<string, FileRole> = {
  t1: 't1', t1w: 't1', t1n: 't1', t1native: 't1', t1pre: 't1',
  t1ce: 't1ce', t1gd: 't1ce', t1c: 't1ce', t1post: 't1ce', t1contrast: 't1ce', t1wce: 't1ce', t1cegd: 't1ce',
  t2: 't2', t2w: 't2',
  flair: 'flair', fla: 'flair', t2flair: 'flair', t2f: 'flair',
  seg: 'seg', segmentation: 'seg', label: 'seg', labels: 'seg', labelmap: 'seg', mask: 'seg', gt: 'seg', groundtruth: 'seg',
  // `_seg_fusion` (FeTS / BraTS Toolkit fusion output), written apart from its base like `t1_ce`.
  segfusion: 'seg', segfused: 'seg', labelsfusion: 'seg', labelfusion: 'seg',
};

/** A mask after one of these is the brain (skull-stripping) mask, not a tumour label map. */
const NOT_TUMOUR_MASK = new Set(['brain', 'skull', 'bet', 'head', 'tissue']);

/** Processing suffixes that carry no role, e.g. `BraTS_00001_flair_bet.nii.gz`. */
const NEUTRAL_TOKENS = new Set([
  'bet', 'brain', 'skullstripped', 'stripped', 'ss', 'reg', 'registered', 'coreg', 'n4', 'n4corrected',
  'corrected', 'biascorr', 'preprocessed', 'preproc', 'resampled', 'sri24', 'mni', 'final', 'image', 'img', 'mri',
]);

/** The file name without folders and without .nii / .nii.gz (or .gz) extensions. */
export function baseName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? fileName;
  return last.replace(/\.gz$/i, '').replace(/\.nii$/i, '');
}

/**
 * Guesses a file's role from its name, case-insensitively, splitting on `_ - . space`.
 * The last meaningful token decides (`BraTS2021_00324_t1ce_bet` → t1ce): processing
 * suffixes and bare numbers are skipped, anything else that is not a known role makes
 * the guess null (`T1_dwi` is not a T1 scan). `_mask` is a tumour label map unless it is a
 * brain mask (`_brain_mask`). The user then assigns anything unknown by hand.
 */
export function detectModality(fileName: string): FileRole | null {
  const tokens = baseName(fileName)
    .toLowerCase()
    .split(/[\s._-]+/)
    .filter((t) => t.length > 0);
  for (let n = tokens.length - 1; n >= 0; n--) {
    const token = tokens[n];
    if (NEUTRAL_TOKENS.has(token) || /^\d+$/.test(token)) continue;
    const role = ROLE_TOKENS[token];
    if (role === 'seg' && token === 'mask' && NOT_TUMOUR_MASK.has(tokens[n - 1] ?? '')) return null;
    if (role) return role;
    // `t1_ce`, `t1-gd`: a contrast modifier written apart from its base modality.
    const previous = tokens[n - 1];
    return (previous !== undefined && ROLE_TOKENS[previous + token]) || null;
  }
  return null;
}
