import { readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RAW_STUDY_BUDGET_BYTES, type RawStudyDependencies } from '../core/rawStudy/index.ts';
import { scalarVolumeOf, type ScalarVolume } from '../core/registration/index.ts';
import { mindgrabStripper, parseMeshnet, type MeshnetModel } from '../core/skullStrip/index.ts';
import { readNifti } from '../core/volume/index.ts';
import { elastixNodeRegistrar } from './elastixRegistrar.ts';

/** The atlas and the skull-stripping model as the app ships them (public/, each with its licence). */
export const SRI24_T1 = fileURLToPath(new URL('../../public/atlas/sri24/spgr.nii.gz', import.meta.url));
export const MINDGRAB_DIR = fileURLToPath(new URL('../../public/models/mindgrab/', import.meta.url));

export async function readAtlas(path = SRI24_T1): Promise<ScalarVolume> {
  return scalarVolumeOf(await readNifti(new Uint8Array(await readFile(path)), path));
}

export async function readMindgrab(dir = MINDGRAB_DIR): Promise<MeshnetModel> {
  const json = JSON.parse(await readFile(`${dir}/model.json`, 'utf8'));
  return parseMeshnet(json, new Uint8Array(await readFile(`${dir}/model.bin`)));
}

/** The raw pipeline's dependencies in Node: SRI24, elastix from the npm package, MindGrab. Nothing is fetched. */
export async function nodeRawStudyDependencies(): Promise<RawStudyDependencies> {
  return { atlas: await readAtlas(), registrar: elastixNodeRegistrar(), stripper: mindgrabStripper(await readMindgrab()) };
}

/**
 * The CLI's memory plan for a raw study: a process is not a tab (its arrays live outside the
 * wasm heap, which only ever holds one skull-strip chunk), so it may use half of this
 * machine's memory, and never less than the app's plan.
 */
export function nodeRawStudyBudget(): number {
  return Math.max(RAW_STUDY_BUDGET_BYTES, Math.floor(totalmem() / 2));
}
