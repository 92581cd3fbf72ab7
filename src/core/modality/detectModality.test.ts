import { describe, expect, it } from 'vitest';
import { detectModality } from './detectModality.ts';

describe('detectModality', () => {
  it.each([
    ['BraTS2021_00324_t1.nii.gz', 't1'],
    ['BraTS2021_00324_t1ce.nii.gz', 't1ce'],
    ['BraTS2021_00324_t2.nii.gz', 't2'],
    ['BraTS2021_00324_flair.nii.gz', 'flair'],
    ['BraTS2021_00324_seg.nii.gz', 'seg'],
    ['case7_T1GD.nii', 't1ce'],
    ['case7-t1c.nii.gz', 't1ce'],
    ['case7 T1 Gd.nii.gz', 't1ce'],
    ['case7_t1_ce_bet.nii.gz', 't1ce'],
    ['Patient.FLAIR.nii', 'flair'],
    ['patient_fla_brain.nii.gz', 'flair'],
    ['BraTS-GLI-00000-000-t2f.nii.gz', 'flair'],
    ['BraTS-GLI-00000-000-t1n.nii.gz', 't1'],
    ['BraTS-GLI-00000-000-t2w.nii.gz', 't2'],
    ['sub-01_ses-1_T1w.nii.gz', 't1'],
    ['folder/sub/BraTS_00001_t2_bet.nii.gz', 't2'],
    ['C:\\scans\\x_T2_reg_n4.nii', 't2'],
    ['t1_0001.nii.gz', 't1'],
    ['BraTS_0001_Seg.NII.GZ', 'seg'],
    // Label maps as FeTS / BraTS Toolkit and other pipelines name them (issue 16).
    ['FeTS2022_01426_seg_fusion.nii.gz', 'seg'],
    ['BraTS2021_00324_Seg_Fusion.NII.GZ', 'seg'],
    ['case7-seg.nii.gz', 'seg'],
    ['case7_segmentation.nii.gz', 'seg'],
    ['case7_tumor_mask.nii.gz', 'seg'],
    ['case7_MASK.nii', 'seg'],
    ['case7_labels.nii.gz', 'seg'],
    ['case7-label.nii.gz', 'seg'],
    ['case7_labelmap.nii.gz', 'seg'],
    ['BraTS-GLI-00012-000-seg.nii.gz', 'seg'],
    ['BraTS-GLI-00012-000-T1C.nii.gz', 't1ce'],
    ['sub-01_FLAIR_brain.nii.gz', 'flair'],
  ])('%s → %s', (name, role) => {
    expect(detectModality(name)).toBe(role);
  });

  it.each(['notes.txt', 'T1_brain_mask.nii.gz', 'case7_brainmask.nii.gz', 'case7_bet_mask.nii.gz', 'T1_dwi.nii.gz', 'BraTS2021_00324.nii.gz', 'dwi.nii', 'pet_suv.nii.gz', 'case7_fusion.nii.gz'])(
    '%s → no guess (user assigns it)',
    (name) => {
      expect(detectModality(name)).toBeNull();
    },
  );
});
