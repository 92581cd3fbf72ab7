export { labelVolumes, labelVolumesOf, type LabelVolume } from './labelVolumes.ts';
export { labelCentroid } from './labelCentroid.ts';
export { regionVolumes, type RegionKey, type RegionVolume } from './regionVolumes.ts';
export { partialSpearman, ranks, spearman } from './spearman.ts';
