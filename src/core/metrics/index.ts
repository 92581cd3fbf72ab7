export { labelVolumes, labelVolumesOf, type LabelVolume } from './labelVolumes.ts';
export { labelCentroid } from './labelCentroid.ts';
