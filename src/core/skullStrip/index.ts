export { parseMeshnet, macsPerVoxel, type MeshnetModel, type MeshnetConv, type Activation } from './meshnetModel.ts';
export { conv3dByDepthShift, depthTaps } from './depthShiftedConv.ts';
export { runMeshnet, gelu, DEFAULT_MAX_CHUNK_BYTES, type MeshnetRunOptions } from './runMeshnet.ts';
export { planMeshnetChunks, webgpuConv2dDispatch, webgpuMatMulDispatch, type MeshnetChunkPlan, type MeshnetLimits, type MeshnetShape } from './meshnetChunkPlan.ts';
export { mindgrabGrid, conformForMindgrab, quantileNormalise, quantileOf, headBox, cropTo, uncropFrom, MINDGRAB_SIZE, type Box } from './conform.ts';
export { thresholdMask, largestComponent, fillHoles } from './brainMaskCleanup.ts';
export { stripSkull, stripSkullVolume, isAlreadyStripped, MAX_STRIPPED_BRAIN_ML, type SkullStripOptions, type SkullStripResult } from './stripSkull.ts';
export { headBoxBound, stripWorkingBytes } from './stripMemory.ts';
export { mindgrabStripper, type MindgrabStripperOptions } from './mindgrabStripper.ts';
