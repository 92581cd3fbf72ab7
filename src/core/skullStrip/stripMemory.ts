import { applyToPoint, type Grid } from '../registration/index.ts';
import { MINDGRAB_SIZE } from './conform.ts';
import type { MeshnetModel } from './meshnetModel.ts';
import { DEFAULT_MAX_CHUNK_BYTES } from './runMeshnet.ts';

/**
 * The most voxels `headBox` can crop for a scan on `head`: on MindGrab's 1 mm conformed cube
 * the box cannot be longer, along each world axis, than the scan's field of view there plus
 * the crop's padding on both sides, nor than the cube. Known from the header alone, before
 * anything is resampled. (FG-6692's T1Gd, 230 × 202 × 143 mm: ≤ 11.4 M voxels; the box the
 * network ran on: 8.5 M.)
 */
export function headBoxBound(head: Grid, padding = 20): number {
  const [X, Y, Z] = head.dims;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const i of [-0.5, X - 0.5]) for (const j of [-0.5, Y - 0.5]) for (const k of [-0.5, Z - 0.5]) {
    const p = applyToPoint(head.affine, [i, j, k]);
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a], p[a]);
      hi[a] = Math.max(hi[a], p[a]);
    }
  }
  return [0, 1, 2].reduce((n, a) => n * Math.min(MINDGRAB_SIZE, Math.ceil(hi[a] - lo[a]) + 2 * padding + 1), 1);
}

/**
 * Bytes `stripSkullVolume` holds at most for a scan on `head`, all phases added (an upper
 * bound): the conformed cube, the cropped input, runMeshnet's two activation buffers (box ×
 * widest channels), the tensors of one chunk, the probability and masks on the box, the
 * uncropped cube and the mask on the scan's grid. Checked against the committed bench
 * record of FG-6692's strip (its measured peak of array buffers, wasm heap included).
 */
export function stripWorkingBytes(model: MeshnetModel, head: Grid, o: { maxChunkBytes?: number; cropPadding?: number } = {}): number {
  const cube = MINDGRAB_SIZE ** 3;
  const box = headBoxBound(head, o.cropPadding ?? 20);
  const widest = Math.max(model.inChannels, ...model.convs.map((c) => c.cout));
  const headVoxels = head.dims[0] * head.dims[1] * head.dims[2];
  const perBoxVoxel = 4 * model.inChannels + 2 * 4 * widest + 4 /* probability */ + 8 /* component ids and queue */ + 3; /* threshold, largest, filled */
  return cube * 4 + box * perBoxVoxel + (o.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES) + cube + headVoxels;
}
