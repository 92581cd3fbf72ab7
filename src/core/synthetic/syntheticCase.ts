import type { InputFile } from '../case/index.ts';
import { MODALITIES, type Modality } from '../modality/index.ts';
import { createNiftiHeader, writeNifti } from '../volume/index.ts';
import { gaussian, mulberry32 } from './random.ts';

/** Tissue classes of the phantom; the last three are the BraTS tumour sub-regions. */
type Tissue = 'background' | 'wm' | 'gm' | 'csf' | 'ncr' | 'ed' | 'et';

/**
 * Mean intensity of each tissue per modality, chosen to mimic how the real sequences
 * look: enhancing tumour bright on T1Gd, edema bright on FLAIR and T2, fluid bright on
 * T2 but dark on FLAIR, necrosis dark on T1/T1Gd.
 */
const CONTRAST: Record<Modality, Record<Exclude<Tissue, 'background'>, number>> = {
  t1: { wm: 520, gm: 420, csf: 180, ncr: 230, ed: 380, et: 470 },
  t1ce: { wm: 500, gm: 410, csf: 170, ncr: 200, ed: 370, et: 980 },
  t2: { wm: 300, gm: 420, csf: 900, ncr: 820, ed: 700, et: 560 },
  flair: { wm: 330, gm: 400, csf: 120, ncr: 450, ed: 880, et: 620 },
};

const LABEL_OF: Partial<Record<Tissue, number>> = { ncr: 1, ed: 2, et: 4 };

export interface SyntheticCaseOptions {
  dims?: [number, number, number];
  spacingMm?: [number, number, number];
  /** Changes the tumour's position/size and the noise; same seed → same bytes. */
  seed?: number;
  caseId?: string;
  /** Write .nii.gz (default) or .nii. */
  gzip?: boolean;
  /** Relative noise standard deviation (default 0.04). */
  noise?: number;
  /** Per-modality intensity gain: a crude scanner difference for adaptation tests. */
  gain?: Partial<Record<Modality, number>>;
}

export interface SyntheticCase {
  caseId: string;
  dims: [number, number, number];
  spacingMm: [number, number, number];
  /** NIfTI files named BraTS-style: `<caseId>_{t1,t1ce,t2,flair,seg}.nii.gz`. */
  files: Record<Modality | 'seg', InputFile>;
  /** The voxels written, i fastest (for checking readers and metrics). */
  images: Record<Modality, Int16Array>;
  labels: Uint8Array;
}

/**
 * A small brain phantom: an ellipsoidal "brain" (grey-matter rim, white matter, a fluid
 * ventricle) with a tumour of three nested regions — necrotic core (1), enhancing rim (4),
 * edema (2) — in four modalities with different contrasts, plus its label map.
 * Deterministic and fast (48×48×24 by default: ~55k voxels).
 */
export function makeSyntheticCase(options: SyntheticCaseOptions = {}): SyntheticCase {
  const dims = options.dims ?? [48, 48, 24];
  // 1 mm isotropic like BraTS: the grid the model was trained on (validation refuses others).
  const spacingMm = options.spacingMm ?? [1, 1, 1];
  const seed = options.seed ?? 1;
  const caseId = options.caseId ?? `Synthetic_${String(seed).padStart(4, '0')}`;
  const noise = options.noise ?? 0.04;
  const [x, y, z] = dims;
  const uniform = mulberry32(seed);
  const normal = gaussian(mulberry32(seed * 7919 + 17));

  // Geometry in normalised coordinates (−1…1 across each axis).
  const brainRadii = [0.86, 0.9, 0.84];
  const tumourCentre = [0.3 * (uniform() - 0.5) + 0.25, 0.3 * (uniform() - 0.5) - 0.15, 0.3 * (uniform() - 0.5)];
  const edemaR = 0.36 + 0.08 * uniform();
  const enhancingR = edemaR * (0.55 + 0.1 * uniform());
  const necroticR = enhancingR * 0.55;

  const tissue: Tissue[] = new Array(x * y * z);
  const labels = new Uint8Array(x * y * z);
  for (let k = 0, n = 0; k < z; k++) {
    const pz = (2 * k + 1) / z - 1;
    for (let j = 0; j < y; j++) {
      const py = (2 * j + 1) / y - 1;
      for (let i = 0; i < x; i++, n++) {
        const px = (2 * i + 1) / x - 1;
        const r = Math.hypot(px / brainRadii[0], py / brainRadii[1], pz / brainRadii[2]);
        let t: Tissue = 'background';
        if (r <= 1) {
          // A folded cortex: the grey rim's thickness varies around the brain.
          const fold = 0.08 * Math.sin(9 * Math.atan2(py, px)) * Math.cos(5 * pz);
          t = r > 0.78 + fold ? 'gm' : 'wm';
          if (Math.hypot(px / 0.12, (py + 0.05) / 0.28, pz / 0.35) <= 1) t = 'csf';
          const d = Math.hypot(px - tumourCentre[0], py - tumourCentre[1], (pz - tumourCentre[2]) * 0.9);
          if (d <= necroticR) t = 'ncr';
          else if (d <= enhancingR) t = 'et';
          else if (d <= edemaR && r < 0.97) t = 'ed';
        }
        tissue[n] = t;
        labels[n] = LABEL_OF[t] ?? 0;
      }
    }
  }

  const images = {} as Record<Modality, Int16Array>;
  for (const m of MODALITIES) {
    const gain = options.gain?.[m] ?? 1;
    const img = new Int16Array(x * y * z);
    for (let n = 0; n < img.length; n++) {
      const t = tissue[n];
      if (t === 'background') continue;
      const mean = CONTRAST[m][t] * gain;
      // Brain voxels stay ≥ 1 so the brain mask is exactly the phantom's ellipsoid.
      img[n] = Math.max(1, Math.round(mean * (1 + noise * normal())));
    }
    images[m] = img;
  }

  const grid = { dims, spacingMm, description: `Attune synthetic phantom seed ${seed}` };
  const ext = options.gzip === false ? '.nii' : '.nii.gz';
  const file = (role: Modality | 'seg', data: Int16Array | Uint8Array): InputFile => {
    const template = createNiftiHeader({ ...grid, name: `${caseId}_${role}${ext}` });
    const bytes = writeNifti(template, data, {
      gzip: options.gzip !== false,
      intentCode: role === 'seg' ? 1002 : undefined,
    });
    return { name: template.name, bytes };
  };
  const files = {
    t1: file('t1', images.t1),
    t1ce: file('t1ce', images.t1ce),
    t2: file('t2', images.t2),
    flair: file('flair', images.flair),
    seg: file('seg', labels),
  };
  return { caseId, dims, spacingMm, files, images, labels };
}
