import type { BratsLabelKey } from '../core/index.ts';

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

/** Volumes under 1 mL get two decimals so small regions do not read as 0.0. */
export function formatMl(ml: number): string {
  return `${ml < 1 ? ml.toFixed(2) : ml.toFixed(1)} mL`;
}
