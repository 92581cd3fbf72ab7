export type { NiftiHeader, NiftiVolume, VoxelArray } from './types.ts';
export { readNifti } from './readNifti.ts';
export { writeNifti, type NiftiTemplate, type WriteNiftiOptions } from './writeNifti.ts';
export { createNiftiHeader, type NewGrid } from './createNiftiHeader.ts';
export { physicalValues, headerScaling } from './voxelScaling.ts';
export { voxelVolumeMl } from './voxelVolume.ts';
export { isGzip } from './gzip.ts';
export { datatypeName } from './datatypes.ts';
