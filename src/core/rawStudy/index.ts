export { BRAIN_ML, prepareRawStudy, type PreparedStudy, type RawStudyDependencies, type RawStudyOptions } from './prepareRawStudy.ts';
export type { SkullStripper } from './skullStripper.ts';
export { atlasCaseFiles, maskOnT1ce } from './atlasCase.ts';
export { needsRawPipeline, RAW_STUDY_CODES } from './needsRawPipeline.ts';
export { studyFromFiles } from './studyFromFiles.ts';
export { checkRawStudyMemory, estimateRawStudyMemory, RAW_STUDY_BUDGET_BYTES, studyGrids, type RawStudyMemory } from './memoryPlan.ts';
export { issueFinding, preparationPlan, PREPARE_ELSEWHERE, type PreparationStep } from './preparationPlan.ts';
export { atlasBrainOnGrid, brainCentre, compareVolumes, maskOutline, qcOverlay, QC_OVERLAY_VALUES, studyQc, tumourVolumes, type GridVolumes, type SeriesCheck, type StudyQc, type VolumeComparison } from './qc.ts';
