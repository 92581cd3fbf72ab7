import type { Modality } from '../../modality/index.ts';
import { bratsAtlasGrid, spacingOf } from '../../registration/grid.ts';
import { applyToPoint, compose, rotationX, rotationZ, translation, type Mat4, type Vec3 } from '../../registration/matrix.ts';
import { headPhantomValue, sampleOnGrid } from '../../registration/testing/headPhantom.ts';
import { phantomSeriesMotions } from '../../registration/testing/phantomStudy.ts';
import type { Grid } from '../../registration/types.ts';
import { mulberry32 } from '../../synthetic/random.ts';
import { createNiftiHeader } from '../../volume/createNiftiHeader.ts';
import { writeNifti } from '../../volume/writeNifti.ts';

const deg = (d: number) => (d * Math.PI) / 180;

/** The phantom's brain (an ellipsoid, 749 mL) and head (brain + a 13 mm skull and scalp), in its own frame (mm). */
export const inPhantomBrain = ([x, y, z]: readonly number[]) => (x / 55) ** 2 + (y / 65) ** 2 + (z / 50) ** 2 <= 1;
const inHead = ([x, y, z]: readonly number[]) => (x / 68) ** 2 + (y / 78) ** 2 + (z / 63) ** 2 <= 1;

/**
 * Each series' look: the brain's offset over the phantom's texture (T2 with its blobs
 * inverted), the skull shell's value. The T1Gd's brain is brighter than its skull, as a
 * threshold can tell (the e2e's stand-in for MindGrab); T1's skull is bright (scalp fat).
 */
const LOOK: Record<Modality, { brain: number; contrast: number; skull: number }> = {
  t1ce: { brain: 40, contrast: 1, skull: 20 },
  t1: { brain: 20, contrast: 1, skull: 140 },
  t2: { brain: 60, contrast: -1, skull: 40 },
  flair: { brain: 30, contrast: 1, skull: 60 },
};

/** An oblique scanner grid (voxel axes permuted: i → A, j → S, k → R), centred on `centre`. */
function scannerGrid(dims: [number, number, number], spacing: Vec3, tiltDeg: number, centre: Vec3): Grid {
  const axes: Mat4 = [[0, 0, spacing[2], 0], [spacing[0], 0, 0, 0], [0, spacing[1], 0, 0], [0, 0, 0, 1]];
  return { dims, affine: compose(translation(dims.map((d) => -(d - 1) / 2)), axes, rotationX(deg(tiltDeg)), rotationZ(deg(tiltDeg / 2)), translation(centre)) };
}

export interface RawPhantomStudy {
  /** The four series as a scanner's NIfTI files (`phantom_<modality>.nii.gz`, int16): own oblique 2.5×2.5×5 mm grids, skull and scalp, noise in the air. */
  files: { name: string; bytes: Uint8Array }[];
  grids: Record<Modality, Grid>;
  /** Each series' world → the phantom's frame. */
  seriesToHead: Record<Modality, Mat4>;
  /** A stand-in for SRI24's skull-stripped T1: the phantom's brain on a 2 mm grid, where SRI24's brain is on the BraTS grid. */
  atlasNifti: Uint8Array;
  /** The T1Gd's true brain on its own grid. */
  brainOnT1ce: Uint8Array;
}

/**
 * A small raw study of the analytic head (registration/testing/headPhantom.ts) for tests of
 * the whole raw pipeline in the browser: skull and scalp around the brain, each series moved
 * by a known rigid motion (the T1Gd 9–14° per axis and ~14 mm; the others a further 3–5°,
 * 3–5 mm) on its own thick-slice oblique grid. Deterministic. Tests only.
 * `flairOfAnotherHead`: the FLAIR shows a head 25 % smaller (a series from another patient).
 */
export function rawPhantomStudy(options: { flairOfAnotherHead?: boolean } = {}): RawPhantomStudy {
  // The registration e2e's motions (the T1Gd far from the atlas, the others a few degrees off it).
  const seriesToHead = phantomSeriesMotions();
  // A FLAIR of another (a 25 % smaller) head: no rigid map can overlay it on the T1Gd, so its
  // registration must be judged poor (brain overlap ~0.6 at best).
  if (options.flairOfAnotherHead) seriesToHead.flair = compose(seriesToHead.flair, [[4 / 3, 0, 0, 0], [0, 4 / 3, 0, 0], [0, 0, 4 / 3, 0], [0, 0, 0, 1]]);
  const grids: Record<Modality, Grid> = {
    t1ce: scannerGrid([76, 84, 38], [2.5, 2.5, 5], -6, [0, -4, 2]),
    t1: scannerGrid([74, 82, 36], [2.6, 2.6, 5], 4, [1, 2, 3]),
    t2: scannerGrid([72, 84, 37], [2.7, 2.7, 5], 2, [-2, 0, 0]),
    flair: scannerGrid([74, 84, 35], [2.6, 2.6, 5.5], 0, [3, 3, -3]),
  };
  const files = (Object.keys(grids) as Modality[]).map((m, n) => {
    const random = mulberry32(20261206 + n);
    const look = LOOK[m];
    const values = sampleOnGrid(grids[m], (q) => {
      const p = applyToPoint(seriesToHead[m], q);
      return inPhantomBrain(p) ? look.brain + headPhantomValue(p, look.contrast) : inHead(p) ? look.skull : 0;
    });
    const data = Int16Array.from(values, (v) => Math.round(v === 0 ? 4 * random() : v));
    const name = `phantom_${m}.nii.gz`;
    const template = createNiftiHeader({ name, dims: grids[m].dims, spacingMm: spacingOf(grids[m]), affine: grids[m].affine.map((r) => [...r]) });
    return { name, bytes: writeNifti(template, data) };
  });
  // The atlas's brain where SRI24's is: the BraTS grid's centre.
  const centre = applyToPoint(bratsAtlasGrid().affine, [119.5, 119.5, 77]);
  const atlasGrid: Grid = { dims: [80, 90, 76], affine: [[-2, 0, 0, centre[0] + 79], [0, 2, 0, centre[1] - 89], [0, 0, 2, centre[2] - 75], [0, 0, 0, 1]] };
  const atlasValues = sampleOnGrid(atlasGrid, (p) => {
    const q = [p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]];
    return inPhantomBrain(q) ? headPhantomValue(q) : 0;
  });
  const atlasNifti = writeNifti(createNiftiHeader({ name: 'spgr.nii.gz', dims: atlasGrid.dims, spacingMm: [2, 2, 2], affine: atlasGrid.affine }), atlasValues);
  const brainOnT1ce = Uint8Array.from(sampleOnGrid(grids.t1ce, (q) => (inPhantomBrain(applyToPoint(seriesToHead.t1ce, q)) ? 1 : 0)));
  return { files, grids, seriesToHead, atlasNifti, brainOnT1ce };
}

/**
 * The z-score (over MindGrab's crop of the conformed T1Gd) that falls half-way between this
 * phantom's skull (20) and its brain's edge (~80): 45, measured on the conformed, cropped
 * T1Gd (z 0.63; 40 → 0.48, 50 → 0.77).
 */
export const PHANTOM_STRIP_Z = 0.63;

/**
 * A MindGrab-format model (tfjs layers model.json + weight bytes, what `parseMeshnet` reads)
 * that is a threshold, for tests: one 3×3×3 conv that passes its input through, named `*_gn`
 * so the runner z-scores it over the volume it sees, and a head whose class 1 wins where the
 * z-score is above `z`. Served in place of MindGrab, it strips a phantom whose brain is
 * brighter than its skull in seconds, through the real pipeline (conform, crop, network,
 * largest component, fill holes, back to the scan's grid).
 */
export function thresholdMeshnet(z: number): { json: object; bin: Uint8Array } {
  const kernel = new Float32Array(27);
  kernel[13] = 1;
  const head = Float32Array.of(0, 1); // [cin = 1, classes = 2]
  const bias = Float32Array.of(0, -z);
  const layers = [
    { class_name: 'InputLayer', config: { name: 'input', batch_input_shape: [null, 256, 256, 256, 1], dtype: 'float32' }, inbound_nodes: [] },
    {
      class_name: 'Conv3D',
      config: { name: 'pass_gn', filters: 1, kernel_size: [3, 3, 3], strides: [1, 1, 1], dilation_rate: [1, 1, 1], padding: 'same', data_format: 'channels_last', activation: 'linear', use_bias: false },
      inbound_nodes: [[['input', 0, 0, {}]]],
    },
    {
      class_name: 'Conv3D',
      config: { name: 'output', filters: 2, kernel_size: [1, 1, 1], strides: [1, 1, 1], dilation_rate: [1, 1, 1], padding: 'same', data_format: 'channels_last', activation: 'linear', use_bias: true },
      inbound_nodes: [[['pass_gn', 0, 0, {}]]],
    },
  ];
  const weights = [
    { name: 'pass_gn/kernel', shape: [3, 3, 3, 1, 1], dtype: 'float32' },
    { name: 'output/kernel', shape: [1, 1, 1, 1, 2], dtype: 'float32' },
    { name: 'output/bias', shape: [2], dtype: 'float32' },
  ];
  const all = new Float32Array(27 + 2 + 2);
  all.set(kernel, 0);
  all.set(head, 27);
  all.set(bias, 29);
  return {
    json: { format: 'layers-model', modelTopology: { model_config: { class_name: 'Functional', config: { name: 'threshold', layers } } }, weightsManifest: [{ paths: ['model.bin'], weights }] },
    bin: new Uint8Array(all.buffer),
  };
}
