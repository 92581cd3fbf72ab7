import { gridOf, resampleNearest, scalarVolumeOf, voxelMl, type Grid, type ScalarVolume } from '../registration/index.ts';
import { MAX_NONZERO_BORDER_FRACTION, nonZeroBorderFraction } from '../validation/index.ts';
import { physicalValues, type NiftiVolume } from '../volume/index.ts';
import { brainMask as nonZeroMask } from '../preprocess/brainMask.ts';
import { fillHoles, largestComponent, thresholdMask } from './brainMaskCleanup.ts';
import { conformForMindgrab, cropTo, headBox, quantileNormalise, uncropFrom, type Box } from './conform.ts';
import type { MeshnetModel } from './meshnetModel.ts';
import { runMeshnet, type MeshnetRunOptions } from './runMeshnet.ts';

export interface SkullStripOptions extends MeshnetRunOptions {
  /** Brain where p(brain) is above this (MindGrab, brainchop: 0.5). */
  threshold?: number;
  /** `headBox`: crop threshold as a fraction of the normalised maximum (brainchop: 0.5) … */
  cropFraction?: number;
  /** … and the margin around it in voxels (brainchop: 20). */
  cropPadding?: number;
  /** Fill enclosed background pockets of the mask (default true). */
  fillHoles?: boolean;
  /** Run the network even on a scan that looks stripped already. */
  force?: boolean;
}

export interface SkullStripResult {
  /** 1 = brain, on the input's own grid (i fastest), as the input's voxels. */
  brainMask: Uint8Array;
  grid: Grid;
  /**
   * The input was already skull-stripped (`isAlreadyStripped`): the mask is its non-zero
   * voxels and no network ran.
   */
  alreadyStripped: boolean;
  seconds: number;
  /** Of which the network (the rest: conform, crop, clean-up, mask back). */
  networkSeconds: number;
  /** The box (on the 256³ conformed grid) the network ran on; null when it did not run. */
  box: Box | null;
}

/**
 * Brain mask of one scan with skull (issue 21, item 3): conform onto MindGrab's 256³ 1 mm
 * grid, quantile-normalise, crop to the head, run the network, threshold, keep the largest
 * component, fill holes, and take the mask back to the scan's own grid (nearest neighbour).
 * Pure apart from tfjs: the caller picks the backend (Node: wasm; the worker: its own).
 */
export async function stripSkull(volume: NiftiVolume, model: MeshnetModel, options: SkullStripOptions = {}): Promise<SkullStripResult> {
  const started = performance.now();
  const grid = gridOf(volume);
  const seconds = () => (performance.now() - started) / 1000;
  if (!options.force && isAlreadyStripped(volume)) {
    const values = physicalValues(volume);
    return { brainMask: nonZeroMask([values], values.length), grid, alreadyStripped: true, seconds: seconds(), networkSeconds: 0, box: null };
  }
  const { brainMask, networkSeconds, box } = await stripSkullVolume(scalarVolumeOf(volume), model, options, volume.name);
  return { brainMask, grid, alreadyStripped: false, seconds: seconds(), networkSeconds, box };
}

/**
 * The network part of `stripSkull` on intensities on any grid (the raw pipeline's
 * `SkullStripper` calls it; "already stripped" is the caller's question): conform, normalise,
 * crop, network, clean-up, back onto `volume`'s grid.
 */
export async function stripSkullVolume(volume: ScalarVolume, model: MeshnetModel, options: SkullStripOptions = {}, name = 'the scan'): Promise<{ brainMask: Uint8Array; networkSeconds: number; box: Box }> {
  const grid = volume.grid;
  const conformed = conformForMindgrab(volume);
  quantileNormalise(conformed.values);
  const dims = conformed.grid.dims;
  const box = headBox(conformed.values, dims, options.cropFraction ?? 0.5, options.cropPadding ?? 20);
  if (!box) throw new Error(`${name}: nothing to strip (the scan is constant)`);
  const input = cropTo(conformed.values, dims, box);
  const [sx, sy, sz] = box.size;
  // The box's i, j, k are the network's W, H, D (see mindgrabGrid).
  const networkStarted = performance.now();
  const probability = await runMeshnet(model, input, [sz, sy, sx], options);
  const networkSeconds = (performance.now() - networkStarted) / 1000;
  let mask = largestComponent(thresholdMask(probability, options.threshold ?? 0.5), box.size);
  if (options.fillHoles ?? true) mask = fillHoles(mask, box.size);
  const full = uncropFrom(mask, dims, box);
  const IDENTITY = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
  const brainMask = resampleNearest(full, conformed.grid, grid, IDENTITY, 0);
  return { brainMask, networkSeconds, box };
}

/**
 * Above this many mL of non-zero voxels a scan is a head, not a brain: stripped adult brains
 * are 1.0–1.8 L (BraTS2021_00324's T1Gd: 1553 mL), a head with its air zeroed 3–4.5 L
 * (brainchop's t1_crop.nii.gz: 3472 mL, 0 on its faces — the face rule alone calls it stripped).
 */
export const MAX_STRIPPED_BRAIN_ML = 2200;

/**
 * True when the scan looks skull-stripped already: 0 on at least half of its outer faces (the
 * validation's `not-skull-stripped` rule, inverted) and no more non-zero voxels than a brain.
 */
export function isAlreadyStripped(volume: NiftiVolume): boolean {
  if (nonZeroBorderFraction(volume) > MAX_NONZERO_BORDER_FRACTION) return false;
  const values = physicalValues(volume);
  let nonZero = 0;
  for (let v = 0; v < values.length; v++) if (values[v] !== 0) nonZero++;
  return nonZero * voxelMl(gridOf(volume)) <= MAX_STRIPPED_BRAIN_ML;
}
