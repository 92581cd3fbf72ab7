import { connectedComponents } from '../postprocess/index.ts';

type Dims = readonly [number, number, number];

/** 1 where the probability is above the threshold (MindGrab: 0.5, i.e. brain logit > background). */
export function thresholdMask(probability: ArrayLike<number>, threshold = 0.5): Uint8Array {
  const mask = new Uint8Array(probability.length);
  for (let v = 0; v < mask.length; v++) mask[v] = probability[v] > threshold ? 1 : 0;
  return mask;
}

/** The largest 6-connected component of a mask (all zeros stay zeros); ties: the first found. */
export function largestComponent(mask: ArrayLike<number>, dims: Dims): Uint8Array {
  const { ids, sizes } = connectedComponents(mask, dims);
  let best = 0;
  for (let id = 1; id < sizes.length; id++) if (sizes[id] > sizes[best]) best = id;
  const out = new Uint8Array(ids.length);
  if (best === 0) return out;
  for (let v = 0; v < ids.length; v++) out[v] = ids[v] === best ? 1 : 0;
  return out;
}

/**
 * Fills the mask's holes: background pockets that do not reach the grid's faces (6-connected)
 * become mask. A brain has none — ventricles and a resection cavity are inside it — but the
 * network may leave dark CSF or a cavity out.
 */
export function fillHoles(mask: ArrayLike<number>, dims: Dims): Uint8Array {
  const [X, Y, Z] = dims;
  const background = new Uint8Array(mask.length);
  for (let v = 0; v < mask.length; v++) background[v] = mask[v] ? 0 : 1;
  const { ids, sizes } = connectedComponents(background, dims);
  const outside = new Uint8Array(sizes.length);
  for (let k = 0; k < Z; k++) {
    for (let j = 0; j < Y; j++) {
      const face = k === 0 || k === Z - 1 || j === 0 || j === Y - 1;
      for (let i = 0; i < X; i += face ? 1 : Math.max(1, X - 1)) outside[ids[i + X * (j + Y * k)]] = 1;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let v = 0; v < mask.length; v++) out[v] = mask[v] || !outside[ids[v]] ? 1 : 0;
  return out;
}
