export type { ConvertedSeries, Dcm2niixOutput, DicomConverter, DicomStudy, NamedBytes, SeriesDecision, SeriesInfo, SkipKind } from './types.ts';
export { convertDicomStudy } from './convertStudy.ts';
export { assignSeries } from './assignSeries.ts';
export { parseSidecar, type SidecarFields } from './sidecar.ts';
export { readDicomTags, isDicomFile, hasDicomPreamble, type DicomFileTags } from './readDicomTags.ts';
export { READABLE_TRANSFER_SYNTAXES, isReadableTransferSyntax, transferSyntaxName } from './transferSyntax.ts';
export { emscriptenConverter, DCM2NIIX_ARGS, type Dcm2niixFactory, type Dcm2niixModule, type Dcm2niixModuleOptions } from './runDcm2niix.ts';
export { studyCaseInputs, studyRoleIssues } from './caseInputs.ts';
