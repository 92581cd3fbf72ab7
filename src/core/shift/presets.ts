import { subSeed, uniformStream } from './seed.ts';
import type { Severity, ShiftStep } from './types.ts';
import { MODALITIES, type Modality } from '../modality/index.ts';

/** A preset's parameter: what it is and its value at severities 1…4 (severity 0 applies nothing). */
export interface PresetParam {
  label: string;
  levels: readonly [number, number, number, number];
}

/** Random choices a preset makes per modality (signs, pedestals) and the seeds of its steps. */
export interface PresetDraw {
  sign(): 1 | -1;
  uniform(): number;
  seed(): number;
}

export interface ShiftPreset {
  /** What acquisition difference it mimics (one line). */
  summary: string;
  params: Record<string, PresetParam>;
  /** The steps for one modality, in the order they run, from this severity's parameter values. */
  steps(p: Record<string, number>, draw: PresetDraw, modality: Modality): ShiftStep[];
}

const param = (label: string, ...levels: [number, number, number, number]): PresetParam => ({ label, levels });

/**
 * The named shifts. Steps always run in acquisition order: tissue contrast → coil bias →
 * resolution (blur, thick slices) → thermal noise → reconstruction non-linearity → scaling.
 */
export const SHIFT_PRESETS = {
  'low-field': {
    summary: 'low-field scanner: flatter grey/white contrast, lower resolution, lower SNR',
    params: {
      tissueContrast: param('tissue contrast: p25–p75 band slope c', 0.85, 0.7, 0.55, 0.4),
      fwhmMm: param('blur FWHM, mm', 1.5, 2, 2.5, 3),
      sigma: param('Rician σ, × median brain intensity', 0.02, 0.04, 0.07, 0.1),
    },
    steps: (p, d) => [
      { kind: 'contrast', tissueContrast: p.tissueContrast, jitter: 0, seed: d.seed() },
      { kind: 'blur', fwhmMm: p.fwhmMm },
      { kind: 'ricianNoise', sigma: p.sigma, seed: d.seed() },
    ],
  },
  'vendor-mild': {
    summary: "another vendor's intensities: per-modality contrast, gamma and scaling (random signs per modality); mild: the z-scoring absorbs most of it (BENCHMARKS.md, presets)",
    params: {
      jitter: param('contrast jitter: log-sd of each band slope', 0.1, 0.2, 0.3, 0.4),
      logGamma: param('γ = exp(±x), sign random per modality: x', 0.1, 0.2, 0.3, 0.4),
      logGain: param('gain = exp(±x), sign random per modality: x', 0.1, 0.2, 0.3, 0.4),
      pedestal: param('offset = U(0, x) × median: x', 0.02, 0.04, 0.06, 0.08),
    },
    steps: (p, d) => [
      { kind: 'contrast', tissueContrast: 1, jitter: p.jitter, seed: d.seed() },
      { kind: 'gamma', gamma: Math.exp(d.sign() * p.logGamma) },
      { kind: 'gainOffset', gain: Math.exp(d.sign() * p.logGain), offset: d.uniform() * p.pedestal },
    ],
  },
  'thick-slices': {
    summary: '2D clinical protocol: thick axial slices resampled to the 1 mm grid, mild coil bias',
    params: {
      thicknessMm: param('slice thickness, mm', 2, 3, 5, 7),
      amplitude: param('bias field, max ×(1+a) in the brain: a', 0.05, 0.05, 0.1, 0.1),
    },
    steps: (p, d) => [
      { kind: 'biasField', amplitude: p.amplitude, degree: 3, seed: d.seed() },
      { kind: 'thickSlices', thicknessMm: p.thicknessMm, seed: d.seed() },
    ],
  },
  'bias-field': {
    summary: 'uncorrected receive-coil inhomogeneity (cubic log-polynomial field)',
    params: { amplitude: param('bias field, max ×(1+a) in the brain: a', 0.1, 0.2, 0.3, 0.45) },
    steps: (p, d) => [{ kind: 'biasField', amplitude: p.amplitude, degree: 3, seed: d.seed() }],
  },
  noisy: {
    summary: 'lower SNR (faster protocol, smaller voxels or older coil)',
    params: { sigma: param('Rician σ, × median brain intensity', 0.03, 0.06, 0.1, 0.15) },
    steps: (p, d) => [{ kind: 'ricianNoise', sigma: p.sigma, seed: d.seed() }],
  },
  blur: {
    summary: 'lower resolution in every direction',
    params: { fwhmMm: param('blur FWHM, mm', 1.5, 2, 3, 4) },
    steps: (p) => [{ kind: 'blur', fwhmMm: p.fwhmMm }],
  },
  'contrast-mild': {
    summary: 'different tissue contrast (TE/TR/TI): random monotone remap of the intensity bands; mild for this model (BENCHMARKS.md, presets)',
    params: { jitter: param('contrast jitter: log-sd of each band slope', 0.15, 0.3, 0.45, 0.6) },
    steps: (p, d) => [{ kind: 'contrast', tissueContrast: 1, jitter: p.jitter, seed: d.seed() }],
  },
  gamma: {
    summary: 'intensity non-linearity of the reconstruction (same γ for every modality)',
    params: { gamma: param('γ', 1.2, 1.45, 1.75, 2.1) },
    steps: (p) => [{ kind: 'gamma', gamma: p.gamma }],
  },
  'weak-enhancement': {
    summary: 'weak contrast enhancement (low or late gadolinium dose): T1Gd\'s brightest voxels pulled towards the rest; other modalities unchanged',
    params: {
      quantile: param('T1Gd brain quantile above which intensities are compressed', 0.97, 0.95, 0.93, 0.9),
      factor: param('compression factor above it', 0.7, 0.5, 0.3, 0.15),
    },
    steps: (p, _d, modality) => (modality === 't1ce' ? [{ kind: 'compressTop', quantile: p.quantile, factor: p.factor }] : []),
  },
  'gain-offset-control': {
    summary: 'linear rescaling (undone by the model’s per-modality z-score: a control that must not hurt)',
    params: {
      gain: param('gain', 1.15, 1.3, 1.6, 2),
      offset: param('offset, × median brain intensity', 0.02, 0.04, 0.06, 0.08),
    },
    steps: (p) => [{ kind: 'gainOffset', gain: p.gain, offset: p.offset }],
  },
} satisfies Record<string, ShiftPreset>;

export type ShiftPresetName = keyof typeof SHIFT_PRESETS;
export const SHIFT_PRESET_NAMES = Object.keys(SHIFT_PRESETS) as ShiftPresetName[];

export function parseShiftPreset(name: string): ShiftPresetName {
  if ((SHIFT_PRESET_NAMES as string[]).includes(name)) return name as ShiftPresetName;
  throw new Error(`unknown shift preset "${name}" (known: ${SHIFT_PRESET_NAMES.join(', ')})`);
}

export function parseSeverity(value: number | string): Severity {
  const v = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (Number.isInteger(v) && v >= 0 && v <= 4) return v as Severity;
  throw new Error(`shift severity must be an integer from 0 (none) to 4, got "${value}"`);
}

export function parseSeed(value: number | string): number {
  const v = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  throw new Error(`shift seed must be an integer from 0 to 4294967295, got "${value}"`);
}

/**
 * The concrete steps of a preset at a severity for one modality (`stream` = its index in
 * channel order), deterministic in `seed`. Severity 0 → no steps.
 */
export function presetSteps(preset: ShiftPresetName, severity: Severity, seed: number, stream: number): ShiftStep[] {
  if (severity === 0) return [];
  const def: ShiftPreset = SHIFT_PRESETS[preset];
  const values = Object.fromEntries(Object.entries(def.params).map(([key, p]) => [key, p.levels[severity - 1]]));
  const uniform = uniformStream(subSeed(seed, stream, 0));
  let steps = 0;
  const draw: PresetDraw = {
    sign: () => (uniform() < 0.5 ? -1 : 1),
    uniform,
    seed: () => subSeed(seed, stream, ++steps),
  };
  return def.steps(values, draw, MODALITIES[stream]);
}

/** The preset × severity table as Markdown (the shift README embeds it; a test keeps them equal). */
export function presetTableMarkdown(): string {
  const rows = ['| preset | parameter | 1 | 2 | 3 | 4 |', '|---|---|---|---|---|---|'];
  for (const name of SHIFT_PRESET_NAMES) {
    const def: ShiftPreset = SHIFT_PRESETS[name];
    Object.values(def.params).forEach((p, n) => rows.push(`| ${n === 0 ? `\`${name}\`` : ''} | ${p.label} | ${p.levels.join(' | ')} |`));
  }
  return rows.join('\n');
}
