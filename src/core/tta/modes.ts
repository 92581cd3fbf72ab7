export const ADAPT_MODES = ['none', 'normalizer', 'bn', 'tent', 'adabn', 'bnmix'] as const;
export type AdaptMode = (typeof ADAPT_MODES)[number];
export type OptimizerName = 'sgd' | 'adam';

/** Which BN layers the alignment objective compares: every one (the method as written) or the shallow ones (`shallowLayers`). */
export const LAYER_SETS = ['all', 'shallow'] as const;
export type LayerSet = (typeof LAYER_SETS)[number];
/** Which pixels the alignment moments are taken over: all (as the running statistics were) or brain pixels only. */
export const PIXEL_SETS = ['all', 'brain'] as const;
export type PixelSet = (typeof PIXEL_SETS)[number];

export interface AdaptSettings {
  mode: AdaptMode;
  optimizer: OptimizerName;
  learningRate: number;
  /** Optimisation steps; the loss curve has iterations + 1 points (iteration 0 = no change). */
  iterations: number;
  /** K of the statistics slices (the contract's default is the model's `statsSlices`). */
  statsSlices: number;
  /** Alignment objective's layers (normalizer, bn); absent = 'all'. */
  layers?: LayerSet;
  /**
   * Alignment objective's pixels (normalizer, bn); absent = 'all'. 'brain' aligns to the
   * calibration's brain-pixel reference (the running statistics were taken over all pixels,
   * so they are not a fair target for brain-only moments).
   */
  pixels?: PixelSet;
}

/**
 * A mode is which parameters change + which objective they minimise + which iterate is kept
 * (one loop, `optimiseParameters`, takes any combination). `adabn` and `bnmix` change no
 * parameter: they replace the BN statistics (bnmix picks a blend by prediction entropy).
 */
export interface ModeRecipe {
  parameters: 'normalizer' | 'bn' | null;
  objective: 'alignment' | 'entropy' | null;
  selection: 'minimum-loss';
}

export const MODE_RECIPES: Record<AdaptMode, ModeRecipe> = {
  none: { parameters: null, objective: null, selection: 'minimum-loss' },
  normalizer: { parameters: 'normalizer', objective: 'alignment', selection: 'minimum-loss' },
  bn: { parameters: 'bn', objective: 'alignment', selection: 'minimum-loss' },
  tent: { parameters: 'bn', objective: 'entropy', selection: 'minimum-loss' },
  adabn: { parameters: null, objective: null, selection: 'minimum-loss' },
  bnmix: { parameters: null, objective: null, selection: 'minimum-loss' },
};

/**
 * Whether a mode's loss curve is prediction entropy rather than the KL alignment loss: TENT
 * minimises entropy, bnmix scores its blends by it. Charts label and scale the curve by this,
 * and only a KL curve's first point is the shift score. Any other name (e.g. 'auto') is false.
 */
export const plotsEntropyCurve = (mode: string): boolean => mode === 'tent' || mode === 'bnmix';

/** Modes that need gradients (tfjs gradient kernels registered, a backward pass per iteration). */
export const isGradientMode = (mode: AdaptMode): boolean => MODE_RECIPES[mode].parameters !== null;

export function parseMode(s: string): AdaptMode {
  if ((ADAPT_MODES as readonly string[]).includes(s)) return s as AdaptMode;
  throw new Error(`unknown adaptation mode "${s}" (expected one of ${ADAPT_MODES.join(', ')})`);
}

export function parseLayerSet(s: string): LayerSet {
  if ((LAYER_SETS as readonly string[]).includes(s)) return s as LayerSet;
  throw new Error(`unknown layer set "${s}" (expected ${LAYER_SETS.join(' or ')})`);
}

export function parsePixelSet(s: string): PixelSet {
  if ((PIXEL_SETS as readonly string[]).includes(s)) return s as PixelSet;
  throw new Error(`unknown pixel set "${s}" (expected ${PIXEL_SETS.join(' or ')})`);
}
