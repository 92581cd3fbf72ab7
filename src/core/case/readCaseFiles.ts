import { InputError, type InputIssue } from '../inputIssue.ts';
import { checkFileSize } from '../volume/inputLimits.ts';
import { detectModality } from '../modality/index.ts';
import { readNifti } from '../volume/index.ts';
import type { CaseFile, InputFile, RefusedFile } from './types.ts';

/**
 * Reads every dropped file and guesses its role from its name (unless the input carries
 * one, as converted DICOM series do). A file that cannot be
 * read keeps its place in the list with the reason, so the user sees what happened to
 * each file; it never aborts the others.
 */
export async function readCaseFiles(inputs: (InputFile | RefusedFile)[], idPrefix = 'f'): Promise<CaseFile[]> {
  const files: CaseFile[] = [];
  for (const [index, input] of inputs.entries()) {
    const given = 'issue' in input ? undefined : input;
    const detectedRole = given?.role !== undefined ? given.role : detectModality(input.name);
    let volume = null;
    let readIssue: InputIssue | null = 'issue' in input ? input.issue : checkFileSize(input.name, input.bytes.byteLength);
    const sizeBytes = 'issue' in input ? input.sizeBytes : input.sizeBytes ?? input.bytes.byteLength;
    if (!readIssue && 'bytes' in input) {
      try {
        volume = await readNifti(input.bytes, input.name);
      } catch (err) {
        readIssue = err instanceof InputError
          ? err.toIssue()
          : { code: 'not-nifti', severity: 'error', files: [input.name], message: `${input.name} could not be read: ${(err as Error).message}` };
      }
    }
    files.push({
      id: `${idPrefix}${index}`,
      name: input.name,
      sizeBytes,
      detectedRole,
      role: detectedRole,
      ...(given?.roleReason ? { roleReason: given.roleReason } : {}),
      volume,
      readIssue,
    });
  }
  return files;
}
