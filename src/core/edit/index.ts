export { applyChange, changeTo, type VoxelChange } from './voxelChange.ts';
export { commitChange, undoChange, redoChange, EMPTY_HISTORY, MAX_UNDO_STEPS, type EditHistory, type Edited } from './editHistory.ts';
export { paintStroke, strokeVoxels, planeAxes, type Axis, type Dims, type Stroke, type VoxelPoint } from './brush.ts';
export { fillRegion, type FillOutcome } from './fillRegion.ts';
export { sliceAxis } from './sliceAxis.ts';
