import type { BratsLabelKey } from '../core/index.ts';
import type { ChangeKind } from '../core/results/index.ts';
import type { AdaptMode } from '../core/tta/index.ts';

/**
 * Overlay colours: the common BraTS/ITK-SNAP convention — necrotic core red, edema
 * green, enhancing tumour yellow. Presentation only; label values come from core.
 */
export const LABEL_COLOURS: Record<BratsLabelKey, [number, number, number]> = {
  NCR: [230, 45, 45],
  ED: [45, 200, 80],
  ET: [255, 215, 0],
};

/** Label overlay opacity over the grey scan. */
export const LABEL_OPACITY = 0.6;

export const rgb = ([r, g, b]: [number, number, number]) => `rgb(${r}, ${g}, ${b})`;

/** niivue label colour map for values 0 (transparent), 1 NCR, 2 ED, 4 ET. */
export const NIIVUE_LABEL_COLORMAP = {
  R: [0, LABEL_COLOURS.NCR[0], LABEL_COLOURS.ED[0], LABEL_COLOURS.ET[0]],
  G: [0, LABEL_COLOURS.NCR[1], LABEL_COLOURS.ED[1], LABEL_COLOURS.ET[1]],
  B: [0, LABEL_COLOURS.NCR[2], LABEL_COLOURS.ED[2], LABEL_COLOURS.ET[2]],
  A: [0, 255, 255, 255],
  I: [0, 1, 2, 4],
  labels: ['', 'NCR', 'ED', 'ET'],
};

/**
 * "Changed voxels" overlay: gained cyan, lost magenta, relabelled violet — hues that no
 * tumour label uses, so a change is never mistaken for a class.
 */
export const CHANGE_COLOURS: Record<ChangeKind, [number, number, number]> = {
  gained: [0, 210, 255],
  lost: [255, 0, 255],
  relabelled: [150, 110, 255],
};

export const NIIVUE_CHANGE_COLORMAP = {
  R: [0, CHANGE_COLOURS.gained[0], CHANGE_COLOURS.lost[0], CHANGE_COLOURS.relabelled[0]],
  G: [0, CHANGE_COLOURS.gained[1], CHANGE_COLOURS.lost[1], CHANGE_COLOURS.relabelled[1]],
  B: [0, CHANGE_COLOURS.gained[2], CHANGE_COLOURS.lost[2], CHANGE_COLOURS.relabelled[2]],
  A: [0, 255, 255, 255],
  I: [0, 1, 2, 3],
  labels: ['', 'gained', 'lost', 'relabelled'],
};

/** One colour per adaptation mode in charts and tables. */
export const MODE_COLOURS: Record<AdaptMode, string> = {
  none: '#667085',
  normalizer: '#2f6fde',
  bn: '#e8590c',
  tent: '#8e44ad',
  adabn: '#0f9d8a',
};

/** Volumes under 1 mL get two decimals so small regions do not read as 0.0. */
export function formatMl(ml: number): string {
  return `${ml < 1 ? ml.toFixed(2) : ml.toFixed(1)} mL`;
}
