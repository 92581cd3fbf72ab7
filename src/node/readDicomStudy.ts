import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { convertDicomStudy, isDicomFile, type DicomStudy, type NamedBytes } from '../core/dicom/index.ts';
import { nodeDicomConverter } from './dcm2niixNode.ts';

/** Enough to tell DICOM from anything else (readDicomTags' isDicomFile). */
const SNIFF_BYTES = 132;

/**
 * Every file under the given files/folders (recursively), named relative to the folder
 * given: DICOM files whole, the others only their first bytes (enough for the message that
 * names them; a folder of other things is not read into memory).
 */
async function filesUnder(paths: string[]): Promise<NamedBytes[]> {
  const out: NamedBytes[] = [];
  const take = async (path: string, name: string) => {
    const handle = await open(path, 'r');
    const head = new Uint8Array(SNIFF_BYTES);
    let length: number;
    try {
      length = (await handle.read(head, 0, SNIFF_BYTES, 0)).bytesRead;
    } finally {
      await handle.close();
    }
    const first = head.subarray(0, length);
    out.push({ name, bytes: isDicomFile(first) ? new Uint8Array(await readFile(path)) : first });
  };
  const walk = async (dir: string, root: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, root);
      else if (entry.isFile()) await take(path, relative(root, path));
    }
  };
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) await walk(p, p);
    else await take(p, basename(p));
  }
  return out;
}

/**
 * Files or folders from disk → a converted DICOM study, through the app's own
 * `convertDicomStudy` and the same dcm2niix wasm. Null when none of the files is DICOM
 * (the caller then treats the input as NIfTI). Files are only read.
 */
export async function readDicomStudy(paths: string[]): Promise<DicomStudy | null> {
  const files = await filesUnder(paths);
  if (!files.some((f) => isDicomFile(f.bytes))) return null;
  return convertDicomStudy(files, nodeDicomConverter());
}
