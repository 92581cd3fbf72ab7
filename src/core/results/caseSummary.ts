import { allHd95 } from '../metrics/hd95.ts';
import { allDice } from '../metrics/dice.ts';
import { labelVolumes, type LabelVolume } from '../metrics/labelVolumes.ts';
import { regionVolumes, type RegionVolume } from '../metrics/regionVolumes.ts';
import { isNoTumour, type BaselineReading } from '../decision/signalReading.ts';
import { describeSignalReading, SIGNAL_SHORT_NAMES, type SignalWords } from './signalWords.ts';

/** The regions the summary reports Dice and HD95 for (the BraTS evaluation regions). */
export const SUMMARY_REGIONS = ['ET', 'TC', 'WT'] as const;
export type SummaryRegion = (typeof SUMMARY_REGIONS)[number];

export interface SummaryMaskInput {
  /** How the mask is named on the page ("Adapted: BN", "Edited from: Baseline"…). */
  name: string;
  labels: ArrayLike<number>;
}

export interface SummaryMaskRow {
  name: string;
  labels: LabelVolume[];
  regions: RegionVolume[];
  /** Against the expert label (null without one, or a region the label lacks). */
  dice: Record<SummaryRegion, number | null> | null;
  /** mm; null as for dice. */
  hd95: Record<SummaryRegion, number | null> | null;
}

export interface CaseSummaryMasks {
  rows: SummaryMaskRow[];
  /** The expert label's own volumes, when there is one. */
  reference: { labels: LabelVolume[]; regions: RegionVolume[] } | null;
  /** The decision signal's reading against the training scans (null without a calibration; value and percentile null when it had no tumour to measure). */
  signal: (SignalWords & { name: string; value: number | null; percentile: number | null }) | null;
  /** Names of the masks with no tumour voxel: the summary says "no tumour found" rather than leave a row of zeros to be read. */
  noTumourIn: string[];
  /** `auto`'s decision in one sentence, when it ran. */
  decision: string | null;
}

const pick = (r: Record<string, number | null>): Record<SummaryRegion, number | null> => ({ ET: r.ET_region, TC: r.TC, WT: r.WT });

/**
 * The numbers of the one-page summary: per mask, volumes per label and per region (mL), and
 * Dice / HD95 per region against the expert label when there is one; the signal reading and
 * `auto`'s decision.
 * One function so the page and its PNG show the same numbers, computed like the results
 * table (labelVolumes, allDice) plus HD95.
 */
export function caseSummaryMasks(
  masks: readonly SummaryMaskInput[],
  grid: { dims: readonly [number, number, number]; spacingMm: readonly [number, number, number]; voxelMl: number },
  reference: ArrayLike<number> | null,
  reading: BaselineReading | null,
  decision: string | null = null,
): CaseSummaryMasks {
  const rows = masks.map(({ name, labels }) => ({
    name,
    labels: labelVolumes(labels as Uint8Array, grid.voxelMl),
    regions: regionVolumes(labels, grid.voxelMl),
    dice: reference ? pick(allDice(labels, reference)) : null,
    hd95: reference ? pick(allHd95(labels, reference, grid.dims, grid.spacingMm)) : null,
  }));
  return {
    rows,
    reference: reference ? { labels: labelVolumes(reference as Uint8Array, grid.voxelMl), regions: regionVolumes(reference, grid.voxelMl) } : null,
    signal: reading
      ? { ...describeSignalReading(reading), name: SIGNAL_SHORT_NAMES[reading.signal], value: isNoTumour(reading) ? null : reading.value, percentile: isNoTumour(reading) ? null : reading.percentile }
      : null,
    noTumourIn: rows.filter((r) => r.regions.find((g) => g.key === 'WT')!.voxels === 0).map((r) => r.name),
    decision,
  };
}
