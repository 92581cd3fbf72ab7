import { DEFAULT_SETTINGS, isGradientMode, parseLayerSet, parsePixelSet, type AdaptMode, type AdaptSettings } from '../core/tta/index.ts';
import { numberFlag } from './args.ts';

/** Per-mode defaults, overridden by --iterations/--lr/--optimizer/--slices/--layers/--pixels where given. */
export function settingsFromFlags(mode: AdaptMode, flags: Record<string, string>): AdaptSettings {
  const base = DEFAULT_SETTINGS[mode];
  const optimizer = flags.optimizer ?? base.optimizer;
  if (optimizer !== 'sgd' && optimizer !== 'adam') throw new Error(`--optimizer must be sgd or adam, got "${optimizer}"`);
  const gradientMode = isGradientMode(mode);
  const alignment = mode === 'normalizer' || mode === 'bn';
  if ((flags.layers || flags.pixels) && !alignment) throw new Error(`--layers / --pixels are variants of the alignment objective (modes normalizer, bn), not of ${mode}`);
  return {
    ...base,
    optimizer,
    iterations: gradientMode ? numberFlag(flags, 'iterations', (v) => Number.isInteger(v) && v >= 0 && v <= 1000, 'an integer 0…1000') ?? base.iterations : base.iterations,
    learningRate: gradientMode ? numberFlag(flags, 'lr', (v) => v > 0 && v < 1, 'a number in (0, 1)') ?? base.learningRate : base.learningRate,
    statsSlices: numberFlag(flags, 'slices', (v) => Number.isInteger(v) && v >= 1 && v <= 64, 'an integer 1…64') ?? base.statsSlices,
    ...(flags.layers ? { layers: parseLayerSet(flags.layers) } : {}),
    ...(flags.pixels ? { pixels: parsePixelSet(flags.pixels) } : {}),
  };
}
