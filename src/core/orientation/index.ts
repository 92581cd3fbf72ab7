export { axisCodes, axisCode, axisDirection, type AxisCode, type VoxelAxis } from './axisCodes.ts';
export { orientationPlan, orientationName, CANONICAL_AXES, CANONICAL_NAME, MAX_OBLIQUITY_DEG, OBLIQUE_ADVICE, type OrientationPlan } from './orientationPlan.ts';
export { toCanonical, toInputGrid } from './reorient.ts';
