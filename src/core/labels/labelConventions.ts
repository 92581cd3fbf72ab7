/**
 * The two label conventions BraTS data comes in. Both label NCR 1 and ED 2; enhancing
 * tumour is 4 in BraTS 2021 and earlier (and in the model contract), 3 from BraTS 2023 on.
 * Internally (Dice, volumes, the model's output) Attune uses BraTS 2021 values; a label
 * map is converted on the way in and masks on the way out.
 */
export type LabelConvention = 'brats2021' | 'brats2023';

export const LABEL_CONVENTIONS: Record<LabelConvention, { name: string; et: number; values: readonly number[] }> = {
  brats2021: { name: 'BraTS 2021 (ET = 4)', et: 4, values: [0, 1, 2, 4] },
  brats2023: { name: 'BraTS 2023+ (ET = 3)', et: 3, values: [0, 1, 2, 3] },
};

export const INTERNAL_CONVENTION: LabelConvention = 'brats2021';

/** What a label map's values say about its convention. */
export type LabelConventionGuess =
  /** `convention` null: no ET voxel, so the map reads the same in both. */
  | { kind: 'ok'; convention: LabelConvention | null }
  | { kind: 'both-et'; }
  | { kind: 'foreign'; values: number[] };

/** Decides from the set of values present (0 may or may not be among them). */
export function detectLabelConvention(values: Iterable<number>): LabelConventionGuess {
  const present = new Set(values);
  const foreign = [...present].filter((v) => !(v === 0 || v === 1 || v === 2 || v === 3 || v === 4));
  if (foreign.length > 0) return { kind: 'foreign', values: foreign };
  if (present.has(3) && present.has(4)) return { kind: 'both-et' };
  if (present.has(4)) return { kind: 'ok', convention: 'brats2021' };
  if (present.has(3)) return { kind: 'ok', convention: 'brats2023' };
  return { kind: 'ok', convention: null };
}

/** A label map of `convention` in internal (BraTS 2021) values; a new array. */
export function toInternalLabels(values: ArrayLike<number>, convention: LabelConvention | null): Uint8Array {
  const out = new Uint8Array(values.length);
  const et = convention ? LABEL_CONVENTIONS[convention].et : 4;
  for (let n = 0; n < values.length; n++) {
    const v = values[n];
    out[n] = v === et ? 4 : v;
  }
  return out;
}

/** An internal (BraTS 2021) mask written in `convention`; a new array. */
export function fromInternalLabels(labels: Uint8Array, convention: LabelConvention): Uint8Array {
  const et = LABEL_CONVENTIONS[convention].et;
  if (et === 4) return labels.slice();
  const out = new Uint8Array(labels.length);
  for (let n = 0; n < labels.length; n++) out[n] = labels[n] === 4 ? et : labels[n];
  return out;
}

/** `2021` / `2023` (CLI flags, settings) → a convention; null for anything else. */
export function parseLabelConvention(text: string): LabelConvention | null {
  const t = text.trim().toLowerCase().replace(/^brats[\s_-]*/, '');
  if (t === '2021' || t === '2020' || t === '2019') return 'brats2021';
  if (t === '2023' || t === '2024' || t === '2025' || t === '2023+') return 'brats2023';
  return null;
}

/** What the user chose for exported masks: follow the label map given, or one convention. */
export type ExportLabelsChoice = 'match' | LabelConvention;

/** The convention masks are exported in: `match` follows the label map, else BraTS 2021. */
export function exportConvention(choice: ExportLabelsChoice, labelMap: LabelConvention | null): LabelConvention {
  return choice === 'match' ? labelMap ?? INTERNAL_CONVENTION : choice;
}
