/** Types of models/README.md §5: what `model.json` holds. */

export const CONTRACT_VERSION = 1;
export const MODEL_FORMAT = 'attune-weights';

export interface Architecture {
  /** U-Net widths F0..F4. */
  widths: number[];
  modalities: string[];
  classes: string[];
  /** BraTS label value of each class, in class order. */
  labels: number[];
  bnEpsilon: number;
  leakySlope: number;
  /** K of the contract's statistics slices (§4). */
  statsSlices: number;
  /** Floor added to variances inside the KL loss. */
  klEpsilon: number;
  /** BN layers that BN adaptation updates (input block + down-sampling blocks). */
  adaptBn: string[];
  /** Every BN layer, in forward order. */
  bnLayers: string[];
}

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  contractVersion: number;
  architecture: Architecture;
  training?: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}
