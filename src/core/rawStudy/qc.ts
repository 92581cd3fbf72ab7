import { ROLE_LABELS, type Modality } from '../modality/index.ts';
import { voxelMl } from '../registration/grid.ts';
import { applyToPoint, identity4 } from '../registration/matrix.ts';
import { foregroundMask, MIN_BRAIN_DICE } from '../registration/quality.ts';
import { resampleLinear } from '../registration/resample.ts';
import type { Grid, ScalarVolume } from '../registration/types.ts';
import type { PreparedStudy } from './prepareRawStudy.ts';

/** One registration of a prepared study, as the QC step shows it. */
export interface SeriesCheck {
  modality: Modality;
  /** 'T1Gd → atlas', 'T1 → T1Gd', … */
  pair: string;
  brainDice: number;
  nmi: number;
  /** The brain overlap it must reach (`MIN_BRAIN_DICE`). */
  minBrainDice: number;
  passes: boolean;
  /** Why it does not pass (the registration's own sentence), else null. */
  problem: string | null;
}

export interface StudyQc {
  /** T1Gd → atlas first, then T1, T2, FLAIR → T1Gd. */
  series: SeriesCheck[];
  /** The reasons Accept is refused (empty: it may be accepted). */
  blockers: string[];
}

const ORDER: readonly Modality[] = ['t1ce', 't1', 't2', 'flair'];

/**
 * What the QC step shows and decides: each registration's brain overlap and NMI against the
 * bar it must pass. A poor registration blocks Accept with its reason: a mask on a misplaced
 * study would be segmented in the wrong place, and nothing downstream could tell.
 */
export function studyQc(prepared: PreparedStudy): StudyQc {
  const series = ORDER.map((m): SeriesCheck => {
    const r = prepared.registration.modalities[m];
    const minBrainDice = MIN_BRAIN_DICE[r.pair];
    return {
      modality: m,
      pair: `${ROLE_LABELS[m]} → ${r.pair === 'toAtlas' ? 'atlas' : ROLE_LABELS.t1ce}`,
      brainDice: r.quality.brainDice,
      nmi: r.quality.nmi,
      minBrainDice,
      passes: r.problem === null,
      problem: r.problem,
    };
  });
  return { series, blockers: series.flatMap((s) => (s.problem ? [s.problem] : [])) };
}

/** The atlas's brain (its foreground: SRI24 is skull-stripped) on the output grid. */
export function atlasBrainOnGrid(atlas: ScalarVolume, grid: Grid): Uint8Array {
  return foregroundMask(resampleLinear(atlas, grid, identity4()));
}

/**
 * The outline of a mask: its voxels within `width` voxels (6-connected steps) of its outside
 * or of the grid's edge. Drawn over a scan it shows where a brain ends without hiding it; a
 * width of 2 stays visible when a 240-voxel slice is drawn a few hundred pixels wide.
 */
export function maskOutline(mask: Uint8Array, dims: readonly [number, number, number], width = 1): Uint8Array {
  let inner = mask;
  for (let w = 0; w < width; w++) inner = erode(inner, dims);
  const out = new Uint8Array(mask.length);
  for (let v = 0; v < mask.length; v++) out[v] = mask[v] && !inner[v] ? 1 : 0;
  return out;
}

/** The mask less its voxels with a 6-neighbour outside it (or on the grid's edge). */
function erode(mask: Uint8Array, [X, Y, Z]: readonly [number, number, number]): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let k = 0, v = 0; k < Z; k++) {
    for (let j = 0; j < Y; j++) {
      for (let i = 0; i < X; i++, v++) {
        if (!mask[v]) continue;
        const edge =
          i === 0 || i === X - 1 || j === 0 || j === Y - 1 || k === 0 || k === Z - 1 ||
          !mask[v - 1] || !mask[v + 1] || !mask[v - X] || !mask[v + X] || !mask[v - X * Y] || !mask[v + X * Y];
        if (!edge) out[v] = 1;
      }
    }
  }
  return out;
}

/** mL of a mask's tumour labels on a grid: each label value, and all of them (the whole tumour). */
export interface GridVolumes {
  byLabel: Record<number, number>;
  totalMl: number;
}

export function tumourVolumes(mask: Uint8Array, grid: Grid): GridVolumes {
  const ml = voxelMl(grid);
  const byLabel: Record<number, number> = {};
  let total = 0;
  for (let n = 0; n < mask.length; n++) {
    const l = mask[n];
    if (l === 0) continue;
    byLabel[l] = (byLabel[l] ?? 0) + 1;
    total++;
  }
  for (const l of Object.keys(byLabel)) byLabel[Number(l)] *= ml;
  return { byLabel, totalMl: total * ml };
}

/** The same mask's volumes on the atlas grid and on the T1Gd's own grid, and what the difference is. */
export interface VolumeComparison {
  atlas: GridVolumes;
  native: GridVolumes;
  /** native − atlas, whole tumour (mL). */
  differenceMl: number;
  /** The difference relative to the atlas grid's volume (0 when both are empty). */
  differenceFraction: number;
  sentence: string;
}

/**
 * The whole tumour in mL on both grids, and the difference said in words: carrying a mask
 * to the T1Gd's grid (nearest neighbour through the registration) changes how many voxels
 * its edge covers, more so on thick slices; a large difference means the mask is thin or
 * small compared with the T1Gd's voxels.
 */
export function compareVolumes(atlasMask: Uint8Array, atlasGrid: Grid, nativeMask: Uint8Array, nativeGrid: Grid): VolumeComparison {
  const atlas = tumourVolumes(atlasMask, atlasGrid);
  const native = tumourVolumes(nativeMask, nativeGrid);
  const differenceMl = native.totalMl - atlas.totalMl;
  const differenceFraction = atlas.totalMl > 0 ? differenceMl / atlas.totalMl : 0;
  const f = (x: number) => `${x.toFixed(1)} mL`;
  const sentence =
    atlas.totalMl === 0 && native.totalMl === 0
      ? 'No tumour on either grid.'
      : `Whole tumour ${f(native.totalMl)} on the T1Gd's own grid, ${f(atlas.totalMl)} on the atlas grid: ` +
        `${differenceMl >= 0 ? '+' : '−'}${f(Math.abs(differenceMl))} (${differenceMl >= 0 ? '+' : '−'}${Math.abs(100 * differenceFraction).toFixed(1)} %), ` +
        'from carrying the mask onto the T1Gd\'s voxels (nearest neighbour through the registration).';
  return { atlas, native, differenceMl, differenceFraction, sentence };
}

/** Values of the QC view's one overlay (a label map, so one colour map draws both). */
export const QC_OVERLAY_VALUES = { brainOutline: 1, atlasOutline: 2 } as const;

/**
 * The QC view's overlay on the atlas grid: the outline of the study's brain mask (1) and of
 * the atlas's brain (2, drawn over the first where they meet), each `width` voxels wide: on a
 * registered, well-stripped study the two run together, and the scan shows between them.
 */
export function qcOverlay(brainOnAtlas: Uint8Array, atlasBrain: Uint8Array, dims: readonly [number, number, number], width = 2): Uint8Array {
  const atlas = maskOutline(atlasBrain, dims, width);
  const brain = maskOutline(brainOnAtlas, dims, width);
  const out = new Uint8Array(brainOnAtlas.length);
  for (let n = 0; n < out.length; n++) out[n] = atlas[n] ? QC_OVERLAY_VALUES.atlasOutline : brain[n] ? QC_OVERLAY_VALUES.brainOutline : 0;
  return out;
}

/** World position (mm) of a mask's centre of mass on its grid (the grid's centre when empty): where a view opens. */
export function brainCentre(mask: Uint8Array, grid: Grid): [number, number, number] {
  const [X, Y, Z] = grid.dims;
  let n = 0, si = 0, sj = 0, sk = 0;
  for (let k = 0, v = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++, v++) if (mask[v]) (n++, (si += i), (sj += j), (sk += k));
  const c = n > 0 ? [si / n, sj / n, sk / n] : [(X - 1) / 2, (Y - 1) / 2, (Z - 1) / 2];
  return applyToPoint(grid.affine, c) as [number, number, number];
}
