/**
 * BraTS label values (BraTS 2021 convention; 3 is unused). The model contract
 * (models/README.md §3) maps classes [background, NCR, ED, ET] to labels [0, 1, 2, 4].
 */
export const BRATS_LABELS = [
  { value: 1, key: 'NCR', name: 'Necrotic tumour core' },
  { value: 2, key: 'ED', name: 'Peritumoral edema' },
  { value: 4, key: 'ET', name: 'GD-enhancing tumour' },
] as const;

export type BratsLabelKey = (typeof BRATS_LABELS)[number]['key'];
