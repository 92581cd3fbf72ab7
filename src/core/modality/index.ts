export { MODALITIES, FILE_ROLES, ROLE_LABELS, isModality, type Modality, type FileRole } from './modalities.ts';
export { detectModality, baseName } from './detectModality.ts';
