import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadCase } from '../core/case/index.ts';
import type { InputFile, RefusedFile } from '../core/case/index.ts';
import { checkFileSize } from '../core/volume/index.ts';

/**
 * A file from disk as the app would take it: read, unless its size alone is past the
 * memory budget (then refused unread, with the same message as in the app).
 */
export async function readInputFile(path: string): Promise<InputFile | RefusedFile> {
  const name = basename(path);
  const { size } = await stat(path);
  const tooLarge = checkFileSize(name, size);
  if (tooLarge) return { name, sizeBytes: size, issue: tooLarge };
  return { name, bytes: new Uint8Array(await readFile(path)) };
}

/** Every .nii / .nii.gz file of a folder, through the app's own `loadCase` path. */
export async function readCaseFolder(dir: string) {
  const names = (await readdir(dir)).filter((n) => /\.nii(\.gz)?$/i.test(n)).sort();
  return loadCase(await Promise.all(names.map((name) => readInputFile(join(dir, name)))));
}
