import type { ScannerGrid } from '../src/core/registration/index.ts';

/**
 * The scanner grids the registration benches move BraTS cases onto (bench/registrationTruth.ts,
 * bench/rawStudyTruth.ts): voxel axes and fields of view per modality, as four different series
 * would have them — 1 mm grids, or clinical 0.9×0.9×5 mm ones.
 */
export type GridKind = '1mm' | 'clinical';
export const SCANNER_AXES: ScannerGrid['axes'][] = [['L', 'A', 'S'], ['R', 'A', 'S'], ['L', 'P', 'S'], ['R', 'P', 'S']];
export const SCANNER_GRIDS: Record<GridKind, { dims: [number, number, number]; spacingMm: [number, number, number] }[]> = {
  '1mm': [
    { dims: [256, 256, 170], spacingMm: [1, 1, 1] },
    { dims: [240, 256, 160], spacingMm: [1, 1, 1] },
    { dims: [256, 240, 176], spacingMm: [1, 1, 1] },
    { dims: [224, 256, 180], spacingMm: [1, 1, 1] },
  ],
  clinical: [
    { dims: [256, 256, 32], spacingMm: [0.9, 0.9, 5] },
    { dims: [256, 224, 30], spacingMm: [0.9, 0.9, 5] },
    { dims: [224, 256, 32], spacingMm: [0.9, 0.9, 5] },
    { dims: [256, 256, 30], spacingMm: [0.9, 0.9, 5] },
  ],
};
