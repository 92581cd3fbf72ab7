export { checkRoles, type RoleClaim } from './checkRoles.ts';
export { checkSameGrid, SAME_GRID_ADVICE, type RoleVolume } from './checkSameGrid.ts';
export { checkScanVoxels, checkLabelVoxels, labelConventionOf } from './checkVoxels.ts';
export { checkOrientation } from './checkOrientation.ts';
export { summarizeVoxels, labelValueCounts } from './voxelSummary.ts';
export { checkPreprocessing, nonZeroBorderFraction, MAX_NONZERO_BORDER_FRACTION, REQUIRED_PREPROCESSING } from './checkPreprocessing.ts';
export { droppedDuringRun } from './runInProgress.ts';
