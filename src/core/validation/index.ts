export { checkRoles, type RoleClaim } from './checkRoles.ts';
export { checkSameGrid, type RoleVolume } from './checkSameGrid.ts';
export { checkScanVoxels, checkLabelVoxels } from './checkVoxels.ts';
export { summarizeVoxels, countValuesOutside } from './voxelSummary.ts';
export { checkPreprocessing, nonZeroBorderFraction, REQUIRED_PREPROCESSING } from './checkPreprocessing.ts';
export { droppedDuringRun } from './runInProgress.ts';
