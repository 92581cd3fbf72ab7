import { BRATS_LABELS, type BratsLabelKey } from '../core/index.ts';
import { CHANGE_VALUES, type ChangeKind } from '../core/results/index.ts';
import type { RunMode } from './store.ts';

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

/** A niivue label colour map: value 0 transparent, then one opaque colour per [label, value]. */
function niivueColormap<K extends string>(colours: Record<K, [number, number, number]>, values: Record<K, number>) {
  const keys = Object.keys(values) as K[];
  return {
    R: [0, ...keys.map((k) => colours[k][0])],
    G: [0, ...keys.map((k) => colours[k][1])],
    B: [0, ...keys.map((k) => colours[k][2])],
    A: [0, ...keys.map(() => 255)],
    I: [0, ...keys.map((k) => values[k])],
    labels: ['', ...keys],
  };
}

/** niivue label colour map for values 0 (transparent), 1 NCR, 2 ED, 4 ET. */
export const NIIVUE_LABEL_COLORMAP = niivueColormap(LABEL_COLOURS, Object.fromEntries(BRATS_LABELS.map((l) => [l.key, l.value])) as Record<BratsLabelKey, number>);

/** The label colour map with the labels in `hidden` transparent (the label toggles). */
export function labelColormap(hidden: readonly number[]): typeof NIIVUE_LABEL_COLORMAP {
  if (hidden.length === 0) return NIIVUE_LABEL_COLORMAP;
  const m = NIIVUE_LABEL_COLORMAP;
  return { ...m, A: m.A.map((a, n) => (hidden.includes(m.I[n]) ? 0 : a)) };
}

/**
 * "Changed voxels" overlay: gained cyan, lost magenta, relabelled violet — hues that no
 * tumour label uses, so a change is never mistaken for a class.
 */
export const CHANGE_COLOURS: Record<ChangeKind, [number, number, number]> = {
  gained: [0, 210, 255],
  lost: [255, 0, 255],
  relabelled: [150, 110, 255],
};

export const NIIVUE_CHANGE_COLORMAP = niivueColormap(CHANGE_COLOURS, CHANGE_VALUES);

/** One colour per adaptation mode in charts and tables. */
export const MODE_COLOURS: Record<RunMode, string> = {
  auto: '#1b7f3b',
  none: '#667085',
  normalizer: '#2f6fde',
  bn: '#e8590c',
  tent: '#8e44ad',
  adabn: '#0f9d8a',
  bnmix: '#b08800',
};

/** Volumes under 1 mL get two decimals so small regions do not read as 0.0. */
export function formatMl(ml: number): string {
  return `${ml < 1 ? ml.toFixed(2) : ml.toFixed(1)} mL`;
}
