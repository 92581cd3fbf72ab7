import { readCaseFiles } from './readCaseFiles.ts';
import type { CaseCheck, CaseFile, InputFile, RefusedFile } from './types.ts';
import { validateCase } from './validateCase.ts';

/**
 * The one path from dropped bytes to a checked case, shared by the app, tests and (later)
 * the CLI: read every file, guess roles from names, validate.
 */
export async function loadCase(inputs: (InputFile | RefusedFile)[]): Promise<{ files: CaseFile[]; check: CaseCheck }> {
  const files = await readCaseFiles(inputs);
  return { files, check: validateCase(files) };
}
