import { checkFileSize, type InputFile, type RefusedFile } from '../core/index.ts';
import { isDicomFile, type NamedBytes } from '../core/dicom/index.ts';

/**
 * What a drop or a file picker yields: files to read (or refused unread, too large to
 * load) and names deliberately skipped. When DICOM files are among them (`dicom` not
 * empty) the drop is a scanner study: `notDicom` holds the first bytes of every other
 * non-NIfTI file, for the DICOM conversion to name them (src/core/dicom), and `skipped`
 * stays empty.
 */
export interface Intake {
  inputs: (InputFile | RefusedFile)[];
  skipped: string[];
  dicom: NamedBytes[];
  notDicom: NamedBytes[];
}

/** Enough to tell DICOM (preamble + "DICM", or a bare group-0008 element) from anything else. */
const SNIFF_BYTES = 132;

const NIFTI_NAME = /\.nii(\.gz)?$/i;

/**
 * Collects a drop's files synchronously: the browser empties `DataTransfer` once the
 * event handler returns, so entries must be taken now and read later.
 * Files dropped directly are always taken (a wrong file gets a clear message); inside
 * dropped folders only .nii/.nii.gz are taken, hidden files are ignored and others
 * are listed as skipped.
 */
export function collectDrop(dataTransfer: DataTransfer): () => Promise<Intake> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dataTransfer.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry?.isDirectory) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  if (entries.length === 0 && loose.length === 0) loose.push(...Array.from(dataTransfer.files ?? []));

  return async () => {
    const inFolders: { file: File; path: string }[] = [];
    for (const dir of entries) inFolders.push(...(await walkDirectory(dir as FileSystemDirectoryEntry)));
    return intakeOf([...loose.map((file) => ({ file, path: file.name })), ...inFolders.map((f) => ({ ...f, fromFolder: true }))]);
  };
}

/** Files from an <input type="file"> (with or without `webkitdirectory`). */
export async function intakeFromFileList(list: FileList): Promise<Intake> {
  return intakeOf(
    Array.from(list).map((file) => ({
      file,
      path: file.webkitRelativePath || file.name,
      fromFolder: Boolean(file.webkitRelativePath),
    })),
  );
}

async function intakeOf(items: { file: File; path: string; fromFolder?: boolean }[]): Promise<Intake> {
  const inputs: (InputFile | RefusedFile)[] = [];
  const skipped: string[] = [];
  const dicom: NamedBytes[] = [];
  /** Non-NIfTI, non-DICOM files: folder ones by name, loose ones by their place in `inputs`. */
  const others: { path: string; head: Uint8Array; fromFolder?: boolean; at?: number }[] = [];
  for (const { file, path, fromFolder } of items) {
    const base = path.split('/').pop() ?? path;
    if (fromFolder && base.startsWith('.')) continue;
    // Judged by its size before reading: a file past the budget would exhaust the tab's memory.
    const tooLarge = checkFileSize(path, file.size);
    if (!NIFTI_NAME.test(base)) {
      // DICOM files rarely have an extension (MR.1.3.12…): told by their first bytes, read
      // whole only when they are DICOM.
      const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
      if (isDicomFile(head) && !tooLarge) {
        dicom.push({ name: path, bytes: new Uint8Array(await file.arrayBuffer()) });
        continue;
      }
      if (fromFolder) {
        others.push({ path, head, fromFolder });
        continue;
      }
      others.push({ path, head, at: inputs.length });
    }
    if (tooLarge) {
      inputs.push({ name: path, sizeBytes: file.size, issue: tooLarge });
      continue;
    }
    // A copy the app owns: the user's file is never touched.
    inputs.push({ name: path, bytes: new Uint8Array(await file.arrayBuffer()) });
  }
  if (dicom.length > 0) {
    // A scanner study: the other files are named by the conversion, not read as NIfTI.
    const loose = new Set(others.flatMap((o) => (o.at === undefined ? [] : [o.at])));
    return { inputs: inputs.filter((_, n) => !loose.has(n)), skipped, dicom, notDicom: others.map((o) => ({ name: o.path, bytes: o.head })) };
  }
  // No DICOM: as before — files dropped directly are read (a wrong file gets its message),
  // other files inside folders are skipped by name.
  skipped.push(...others.filter((o) => o.fromFolder).map((o) => o.path));
  return { inputs, skipped, dicom, notDicom: [] };
}

async function walkDirectory(dir: FileSystemDirectoryEntry): Promise<{ file: File; path: string }[]> {
  const out: { file: File; path: string }[] = [];
  const reader = dir.createReader();
  // readEntries returns at most ~100 entries per call; call until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const entry of batch) {
      if (entry.isDirectory) out.push(...(await walkDirectory(entry as FileSystemDirectoryEntry)));
      else {
        const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
        out.push({ file, path: entry.fullPath.replace(/^\//, '') });
      }
    }
  }
  return out;
}
