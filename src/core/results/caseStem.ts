/**
 * A stem for exported file names from the case's own file names: their longest common
 * prefix without trailing separators (BraTS2021_00324_t1.nii.gz, …_flair.nii.gz →
 * BraTS2021_00324); folders are dropped. Falls back to "attune-case".
 */
export function caseStem(names: readonly string[]): string {
  const bases = names.map((n) => n.split(/[\\/]/).pop() ?? n);
  if (bases.length === 0) return 'attune-case';
  let prefix = bases[0];
  for (const b of bases.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < b.length && prefix[i] === b[i]) i++;
    prefix = prefix.slice(0, i);
  }
  if (bases.length === 1) prefix = prefix.replace(/\.nii(\.gz)?$/i, '');
  const stem = prefix.replace(/[\s._-]+$/, '').replace(/[^\w.-]+/g, '_');
  return stem.length > 0 ? stem : 'attune-case';
}
