export { labelVolumes, labelVolumesOf, type LabelVolume } from './labelVolumes.ts';
