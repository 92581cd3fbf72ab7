export type { InputFile, RefusedFile, CaseFile, MriCase, CaseCheck } from './types.ts';
export { readCaseFiles } from './readCaseFiles.ts';
export { validateCase } from './validateCase.ts';
export { loadCase } from './loadCase.ts';
