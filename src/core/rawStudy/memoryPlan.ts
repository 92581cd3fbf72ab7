import { formatBytes } from '../formatBytes.ts';
import { InputError } from '../inputIssue.ts';
import { MODALITIES, ROLE_LABELS } from '../modality/index.ts';
import { bratsAtlasGrid, voxelMl } from '../registration/grid.ts';
import type { StudyVolumes } from '../registration/registerStudy.ts';
import type { Grid } from '../registration/types.ts';
import type { SkullStripper } from './skullStripper.ts';

const MiB = 1024 * 1024;

/**
 * What preparing one raw study may hold in the tab (or the CLI's process) at once. The same
 * 4 GiB the model's run plans against (wasm32's ceiling, `core/memory`): a tab past that is
 * one allocation from being killed without a word. Measured peaks (BENCHMARKS "Raw studies"):
 * FG-6692 1.6 GB, a BraTS case on 1 mm grids 2.5 GB (Node RSS, the model's run included).
 */
export const RAW_STUDY_BUDGET_BYTES = 4096 * MiB;

export interface RawStudyMemory {
  bytes: number;
  /** What makes it up, largest first, for the message. */
  parts: { what: string; bytes: number }[];
}

/** Each series' grid: what the plan reads of a study. */
export function studyGrids(study: StudyVolumes): Record<keyof StudyVolumes, Grid> {
  return { t1: study.t1.grid, t1ce: study.t1ce.grid, t2: study.t2.grid, flair: study.flair.grid };
}

const voxels = (g: Grid) => g.dims[0] * g.dims[1] * g.dims[2];

/**
 * Upper bound of what `prepareRawStudy` holds for these series, from their grids alone: the
 * four series as float32, their 2 mm copies for registration, the skull strip's working
 * memory (the stripper's own estimate; none when the input is already stripped), and the
 * atlas-grid outputs (each series resampled, then masked; the brain mask; the atlas itself).
 */
export function estimateRawStudyMemory(grids: Record<keyof StudyVolumes, Grid>, stripper: Pick<SkullStripper, 'workingBytes'> | null, outputGrid: Grid = bratsAtlasGrid()): RawStudyMemory {
  const atlas = voxels(outputGrid);
  const series = MODALITIES.reduce((n, m) => n + voxels(grids[m]) * 4, 0);
  const parts = [
    { what: 'the four series', bytes: series },
    // 2 mm copies: at most one voxel per 8 mm³ of a series, never more than the series.
    { what: 'their 2 mm copies for registration', bytes: MODALITIES.reduce((n, m) => n + Math.min(voxels(grids[m]), Math.ceil(fovMm3(grids[m]) / 8)) * 4, 0) },
    { what: 'skull stripping the T1Gd', bytes: stripper?.workingBytes?.(grids.t1ce) ?? 0 },
    { what: 'the series on the atlas grid', bytes: MODALITIES.length * atlas * 4 * 2 + atlas * 4 + atlas * 2 },
  ].filter((p) => p.bytes > 0);
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes: parts.reduce((n, p) => n + p.bytes, 0), parts };
}

const fovMm3 = (g: Grid) => voxelMl(g) * 1000 * voxels(g);

/**
 * The refusal of a study whose preparation would not fit `budgetBytes`, before the pipeline
 * allocates anything: which series are how big, what the memory goes to, and what to do.
 */
export function checkRawStudyMemory(grids: Record<keyof StudyVolumes, Grid>, estimate: RawStudyMemory, budgetBytes = RAW_STUDY_BUDGET_BYTES): InputError | null {
  if (estimate.bytes <= budgetBytes) return null;
  const sizes = MODALITIES.map((m) => `${ROLE_LABELS[m]} ${grids[m].dims.join('×')}`).join(', ');
  const parts = estimate.parts.map((p) => `${p.what} ${formatBytes(p.bytes)}`).join(', ');
  return new InputError(
    'study-too-large',
    `This study is too large to prepare in this tab's memory plan: it needs about ${formatBytes(estimate.bytes)} (${parts}), ` +
      `more than the ${formatBytes(budgetBytes)} planned (series: ${sizes}). Nothing was prepared. ` +
      'Export the series at a coarser resolution or a smaller field of view (the model works on 1 mm), or prepare the study with the command line on a machine with more memory.',
  );
}
