/**
 * One concrete, fully resolved shift applied to one modality. Parameters are plain numbers
 * so a run can be written down (the CLI's `shift.json`) and replayed. Randomness inside a
 * step (noise, the bias field's shape, contrast jitter, the thick-slice phase) comes from
 * the step's own seed, so a step never depends on what ran before it.
 */
export type ShiftStep =
  /**
   * Monotone piecewise-linear remap through the modality's brain quantiles (knots at
   * 0, p5, p25, p50, p75, p95, p99.5). The p25–p75 band (grey/white matter in most
   * sequences) gets slope `tissueContrast` relative to the other bands; `jitter` is the
   * log-sd of a random factor per band. Both halves are rescaled so 0, the median and
   * p99.5 stay where they are: contrast moves between tissues, the overall range does not.
   */
  | { kind: 'contrast'; tissueContrast: number; jitter: number; seed: number }
  /** Smooth multiplicative field exp(P(x,y,z)), P a random polynomial of `degree`, max |P| = ln(1 + amplitude) over the brain. */
  | { kind: 'biasField'; amplitude: number; degree: number; seed: number }
  /** Isotropic Gaussian blur (full width at half maximum, mm), normalised over the brain. */
  | { kind: 'blur'; fwhmMm: number }
  /** Average blocks of round(thicknessMm / z spacing) slices, re-expand by linear interpolation. */
  | { kind: 'thickSlices'; thicknessMm: number; seed: number }
  /** |x + σ(n₁ + i·n₂)|, n ~ N(0,1), σ = `sigma` × the modality's median brain intensity. */
  | { kind: 'ricianNoise'; sigma: number; seed: number }
  /** x ↦ R·(x/R)^gamma, R = the modality's brain p99. */
  | { kind: 'gamma'; gamma: number }
  /** x ↦ gain·x + offset × the modality's median brain intensity. */
  | { kind: 'gainOffset'; gain: number; offset: number }
  /**
   * Above the modality's brain quantile q (0…1), x ↦ t + factor·(x − t), t = that quantile:
   * the brightest voxels (on T1Gd, the enhancing tumour and vessels) come closer to the rest.
   */
  | { kind: 'compressTop'; quantile: number; factor: number };

export type ShiftKind = ShiftStep['kind'];

/** 0 = identity (byte-identical voxels); 4 = the strongest documented level. */
export type Severity = 0 | 1 | 2 | 3 | 4;

/** The grid a volume lives on; voxel (i, j, k) is at i + X*(j + Y*k). */
export interface Grid {
  dims: readonly [number, number, number];
  spacingMm: readonly [number, number, number];
}

/** Brain intensity references of one modality, measured once on the unshifted input. */
export interface BrainStats {
  /** Voxels ≠ 0 in this modality. */
  count: number;
  /** Quantile p (0…1) of the support values, interpolated between order statistics. */
  quantile(p: number): number;
  median: number;
}

/** What every step function receives besides the voxels. */
export interface StepContext {
  grid: Grid;
  /** 1 where the unshifted modality is ≠ 0 (its part of the brain mask); shifts only act there. */
  support: Uint8Array;
  stats: BrainStats;
}
