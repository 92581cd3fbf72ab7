/** Values of the change map (0 = unchanged). */
export const CHANGE_VALUES = { gained: 1, lost: 2, relabelled: 3 } as const;
export type ChangeKind = keyof typeof CHANGE_VALUES;

export interface MaskChanges {
  /** One value per voxel: 0 unchanged, 1 gained, 2 lost, 3 relabelled. */
  map: Uint8Array;
  counts: Record<ChangeKind, number>;
}

/**
 * How `after` differs from `before` (two label maps on one grid, 0 = background):
 * gained = background → any tumour label, lost = tumour → background, relabelled =
 * one tumour label → another (e.g. edema → enhancing).
 */
export function maskChanges(before: ArrayLike<number>, after: ArrayLike<number>): MaskChanges {
  if (before.length !== after.length) {
    throw new Error(`maskChanges: the masks differ in size (${before.length} vs ${after.length} voxels)`);
  }
  const map = new Uint8Array(before.length);
  const counts = { gained: 0, lost: 0, relabelled: 0 };
  for (let n = 0; n < before.length; n++) {
    const a = before[n], b = after[n];
    if (a === b) continue;
    if (a === 0) {
      map[n] = CHANGE_VALUES.gained;
      counts.gained++;
    } else if (b === 0) {
      map[n] = CHANGE_VALUES.lost;
      counts.lost++;
    } else {
      map[n] = CHANGE_VALUES.relabelled;
      counts.relabelled++;
    }
  }
  return { map, counts };
}
