/**
 * MindGrab's network input for a scan, as `stripSkullVolume` makes it (conform to the 256³ 1 mm
 * grid, quantile-normalise, crop to the head box), and a fixed cube cut from it — for the
 * browser-backend bench (bench/mindgrabWebgpu.ts) and its CI check (e2e/mindgrabWebgpu.spec.ts).
 */
import { scalarVolumeOf } from '../src/core/registration/index.ts';
import { conformForMindgrab, cropTo, headBox, quantileNormalise, type Box } from '../src/core/skullStrip/index.ts';
import type { NiftiVolume } from '../src/core/volume/index.ts';

export type Dims3 = [number, number, number];

/** The whole head box: values [D, H, W] (W fastest) = the box's k, j, i — the network's L, I, A axes. */
export function mindgrabInput(volume: NiftiVolume): { values: Float32Array; dims: Dims3; box: Box } {
  const conformed = conformForMindgrab(scalarVolumeOf(volume));
  quantileNormalise(conformed.values);
  const box = headBox(conformed.values, conformed.grid.dims, 0.5, 20);
  if (!box) throw new Error('nothing to strip (the scan is constant)');
  const [sx, sy, sz] = box.size;
  return { values: cropTo(conformed.values, conformed.grid.dims, box), dims: [sz, sy, sx], box };
}

/**
 * An edge³ cube of [D, H, W] values: centred in D and W, from slice `top` along H (H runs
 * inferior, so a small `top` puts the vertex — air, scalp, skull, brain — in the cube).
 */
export function cubeOf(values: Float32Array, [D, H, W]: Dims3, edge: number, top: number): { values: Float32Array; dims: Dims3; origin: Dims3 } {
  const e = [Math.min(edge, D), Math.min(edge, H), Math.min(edge, W)] as Dims3;
  const origin: Dims3 = [Math.floor((D - e[0]) / 2), Math.min(top, H - e[1]), Math.floor((W - e[2]) / 2)];
  const out = new Float32Array(e[0] * e[1] * e[2]);
  for (let d = 0; d < e[0]; d++)
    for (let h = 0; h < e[1]; h++) {
      const from = ((origin[0] + d) * H + origin[1] + h) * W + origin[2];
      out.set(values.subarray(from, from + e[2]), (d * e[1] + h) * e[2]);
    }
  return { values: out, dims: e, origin };
}
