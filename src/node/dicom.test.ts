import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nifti from 'nifti-reader-js';
import { describe, expect, it } from 'vitest';
import { convertDicomStudy, isReadableTransferSyntax, READABLE_TRANSFER_SYNTAXES, studyCaseInputs, studyRoleIssues, type NamedBytes } from '../core/dicom/index.ts';
import { loadCase } from '../core/case/index.ts';
import { writeDicomSeries, type SeriesSpec } from '../core/testing/dicomFixtures.ts';
import { nodeDicomConverter } from './dcm2niixNode.ts';

/**
 * DICOM → NIfTI through the same wasm dcm2niix the app's worker runs (here loaded by Node).
 * dcm_qa (`../shared/data/dicom/dcm_qa`, dcm2niix's own QA data: Siemens mosaic EPI in three
 * slice orientations) must match dcm2niix's reference conversion in `Ref/`.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const qaDir = process.env.ATTUNE_DCM_QA_DIR ?? resolve(repoRoot, '../shared/data/dicom/dcm_qa');
const present = existsSync(join(qaDir, 'In')) && existsSync(join(qaDir, 'Ref'));
if (!present) console.warn(`[dicom.test] dcm_qa SKIPPED: ${qaDir} not found (the shared DICOM data is absent on this machine)`);

function readTree(dir: string): NamedBytes[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort()
    .map((p) => ({ name: relative(dir, join(dir, p)), bytes: new Uint8Array(readFileSync(join(dir, p))) }));
}

/** Header geometry and voxel bytes of a NIfTI-1 file, as stored. */
function niftiFacts(bytes: Uint8Array) {
  const buffer = bytes.slice().buffer as ArrayBuffer;
  expect(nifti.isNIFTI(buffer)).toBe(true);
  const h = nifti.readHeader(buffer) as nifti.NIFTI1;
  const voxels = bytes.subarray(Math.round(h.vox_offset));
  return {
    dims: h.dims.slice(0, h.dims[0] + 1),
    pixDims: h.pixDims.slice(1, 4),
    datatype: h.datatypeCode,
    qformCode: h.qform_code,
    sformCode: h.sform_code,
    quatern: [h.quatern_b, h.quatern_c, h.quatern_d, h.qoffset_x, h.qoffset_y, h.qoffset_z, h.qfac],
    srow: [...h.affine[0], ...h.affine[1], ...h.affine[2]],
    voxels,
  };
}

describe.skipIf(!present)('dcm_qa through wasm dcm2niix in Node', () => {
  it('converts each series to the NIfTI of dcm2niix\'s Ref/ (header geometry and every voxel)', async () => {
    const study = await convertDicomStudy(readTree(join(qaDir, 'In')), nodeDicomConverter());
    const refs = readdirSync(join(qaDir, 'Ref')).filter((n) => n.endsWith('.nii')).sort();
    expect(refs.length).toBe(3);
    expect(study.series.map((s) => s.niftiName).sort()).toEqual(refs.map((r) => r.replace(/^(.*)_(\d+)\.nii$/, '$2_$1.nii')).sort());
    for (const ref of refs) {
      const [, description, number] = /^(.*)_(\d+)\.nii$/.exec(ref)!;
      const series = study.series.find((s) => s.info.seriesNumber === Number(number))!;
      expect(series.info.seriesDescription).toBe(description);
      const got = niftiFacts(series.nifti);
      const want = niftiFacts(new Uint8Array(readFileSync(join(qaDir, 'Ref', ref))));
      expect(got.dims, ref).toEqual(want.dims);
      expect(got.datatype, ref).toBe(want.datatype);
      expect(got.qformCode, ref).toBe(want.qformCode);
      expect(got.sformCode, ref).toBe(want.sformCode);
      got.pixDims.forEach((v, n) => expect(v, `${ref} pixdim ${n + 1}`).toBeCloseTo(want.pixDims[n], 5));
      got.quatern.forEach((v, n) => expect(v, `${ref} qform ${n}`).toBeCloseTo(want.quatern[n], 4));
      got.srow.forEach((v, n) => expect(v, `${ref} sform ${n}`).toBeCloseTo(want.srow[n], 4));
      expect(got.voxels.length, ref).toBe(want.voxels.length);
      expect(Buffer.compare(Buffer.from(got.voxels), Buffer.from(want.voxels)), `${ref} voxels`).toBe(0);
      // The sidecar is dcm2niix's own, kept whole: the fields of the reference are there.
      const sidecar = JSON.parse(series.sidecar) as Record<string, unknown>;
      const refSidecar = JSON.parse(readFileSync(join(qaDir, 'Ref', ref.replace(/\.nii$/, '.json')), 'utf8')) as Record<string, unknown>;
      for (const key of ['SeriesDescription', 'RepetitionTime', 'EchoTime', 'SliceTiming', 'ImageOrientationPatientDICOM', 'PhaseEncodingDirection']) {
        expect(sidecar[key], `${ref} ${key}`).toEqual(refSidecar[key]);
      }
    }
  });

  it('lists the EPI time series as skipped with the reason and says none of them is structural', async () => {
    const input = readTree(join(qaDir, 'In'));
    const before = input.map((f) => f.bytes.slice());
    const study = await convertDicomStudy(input, nodeDicomConverter());
    expect(study.dicomFiles).toBe(6);
    for (const s of study.series) {
      expect(s.decision.role).toBeNull();
      expect(s.decision.skip).toBe('time-series');
      expect(s.decision.reason).toMatch(/^2 volumes over time \(EPI/);
    }
    expect(study.issues.map((i) => i.code)).toEqual(['dicom-no-structural']);
    expect(study.issues[0].message).toBe("None of the 3 series is a T1, T1Gd, T2 or FLAIR scan (3 time series; each is listed with its reason). Attune needs those four; add the study's structural series.");
    expect(studyCaseInputs(study)).toEqual([]);
    // Nothing a user dropped is modified.
    input.forEach((f, n) => expect(Buffer.compare(Buffer.from(f.bytes), Buffer.from(before[n]))).toBe(0));
  });
});

/** A typical brain-tumour study: localiser, 3D T1 pre and post, 2D T2 and FLAIR, a diffusion trace. */
const STUDY: SeriesSpec[] = [
  { seriesNumber: 1, description: 'AAHead_Scout', dims: [16, 16, 3], tags: { ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] } },
  { seriesNumber: 2, description: 't1_mprage_sag', orientation: [0, 1, 0, 0, 0, -1], tags: { MRAcquisitionType: '3D', RepetitionTime: 2300, EchoTime: 2.98, InversionTime: 900, BodyPartExamined: 'HEAD' } },
  { seriesNumber: 3, description: 'ax T2 TSE', spacing: [0.5, 0.5, 5], tags: { MRAcquisitionType: '2D', RepetitionTime: 5000, EchoTime: 95 } },
  { seriesNumber: 4, description: 'AX FLAIR', spacing: [0.9, 0.9, 5.5], tags: { MRAcquisitionType: '2D', RepetitionTime: 9000, EchoTime: 81, InversionTime: 2500 } },
  { seriesNumber: 5, description: 'ep2d_diff_3scan_trace', tags: { ImageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'TRACEW'] } },
  { seriesNumber: 6, description: 't1_mprage_sag', orientation: [0, 1, 0, 0, 0, -1], tags: { MRAcquisitionType: '3D', RepetitionTime: 2300, EchoTime: 2.98, InversionTime: 900, ContrastBolusAgent: 'Gadovist 7.5ml' } },
  { seriesNumber: 7, description: 't1_mprage_sag_MPR_tra', tags: { ImageType: ['DERIVED', 'SECONDARY', 'MPR'] } },
];
const studyFiles = () => STUDY.flatMap((s) => writeDicomSeries(s));

describe('a synthetic study through wasm dcm2niix and the series assignment', () => {
  it('converts every series and gives T1, T1Gd, T2, FLAIR each a reason; localiser, diffusion and derived are skipped', async () => {
    const study = await convertDicomStudy(studyFiles(), nodeDicomConverter());
    const table = study.series.map((s) => [s.niftiName, s.decision.role ?? s.decision.skip]);
    expect(table).toEqual([
      ['1_AAHead_Scout.nii', 'localiser'],
      ['2_t1_mprage_sag.nii', 't1'],
      ['3_ax_T2_TSE.nii', 't2'],
      ['4_AX_FLAIR.nii', 'flair'],
      ['5_ep2d_diff_3scan_trace.nii', 'diffusion'],
      ['6_t1_mprage_sag.nii', 't1ce'],
      ['7_t1_mprage_sag_MPR_tra.nii', 'derived'],
    ]);
    expect(study.series[5].decision.reason).toContain("ContrastBolusAgent 'Gadovist 7.5ml'");
    expect(study.series[0].decision.reason).toContain('ImageType LOCALIZER');
    expect(study.issues).toEqual([]);
    expect(studyRoleIssues(study)).toEqual([]);
    // Each series keeps its own grid: dims and spacing as written.
    const flair = study.series[3].info;
    expect(flair.dims).toEqual([16, 16, 8]);
    flair.spacingMm.forEach((v, n) => expect(v).toBeCloseTo([0.9, 0.9, 5.5][n], 4));
    // Into the app's assignment table: the four offered with their roles and reasons.
    const { files } = await loadCase(studyCaseInputs(study));
    expect(files.map((f) => [f.name, f.role])).toEqual([
      ['2_t1_mprage_sag.nii', 't1'],
      ['3_ax_T2_TSE.nii', 't2'],
      ['4_AX_FLAIR.nii', 'flair'],
      ['6_t1_mprage_sag.nii', 't1ce'],
    ]);
    expect(files.every((f) => f.volume !== null && f.roleReason)).toBe(true);
    // The voxels survive the conversion (the fixture's pattern: 100·series + 10·slice + …).
    const t2 = files[1].volume!;
    expect(t2.data[0]).toBe(300);
    expect(t2.data[16 * 16 * 7]).toBe(370);
  });

  it('two series claiming one role: both listed, the table asks the user to choose', async () => {
    const files = [...studyFiles(), ...writeDicomSeries({ seriesNumber: 8, description: 't2_tse_cor', tags: { RepetitionTime: 4000, EchoTime: 100 } })];
    const study = await convertDicomStudy(files, nodeDicomConverter());
    const issues = studyRoleIssues(study);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'duplicate-role', severity: 'error' });
    expect(issues[0].message).toBe('2 files claim T2: 3_ax_T2_TSE.nii, 8_t2_tse_cor.nii. Reassign or remove all but one in the table.');
  });

  it('a missing modality is named', async () => {
    const files = STUDY.filter((s) => s.seriesNumber !== 4).flatMap((s) => writeDicomSeries(s));
    const issues = studyRoleIssues(await convertDicomStudy(files, nodeDicomConverter()));
    expect(issues.map((i) => i.code)).toEqual(['missing-modality']);
    expect(issues[0].message).toMatch(/^Missing modality: FLAIR\./);
  });

  it('a 2D localiser only', async () => {
    const study = await convertDicomStudy(writeDicomSeries(STUDY[0]), nodeDicomConverter());
    expect(study.series).toHaveLength(1);
    expect(study.issues).toHaveLength(1);
    expect(study.issues[0]).toMatchObject({ code: 'dicom-localiser-only', severity: 'error', files: ['1_AAHead_Scout.nii'] });
    expect(study.issues[0].message).toContain('Only localiser (scout) images were found');
    expect(studyCaseInputs(study)).toEqual([]);
  });

  it('non-brain DICOM (BodyPartExamined)', async () => {
    const knee = writeDicomSeries({ seriesNumber: 3, description: 't2_tse_sag', tags: { BodyPartExamined: 'KNEE', RepetitionTime: 4000, EchoTime: 90 } });
    const study = await convertDicomStudy(knee, nodeDicomConverter());
    expect(study.series[0].decision).toMatchObject({ role: null, skip: 'not-brain' });
    expect(study.series[0].decision.reason).toBe('BodyPartExamined is KNEE, not the head: Attune segments brain MRI only');
    expect(study.issues.map((i) => i.code)).toEqual(['dicom-not-brain']);
    expect(study.issues[0].message).toBe('These DICOM series are not of the head (BodyPartExamined: KNEE): Attune segments brain tumours in brain MRI only.');
  });

  it('a transfer syntax dcm2niix cannot decode is refused before conversion, naming the series; the rest converts', async () => {
    const jpegXl = writeDicomSeries({ ...STUDY[3], transferSyntaxUid: '1.2.840.10008.1.2.4.112' });
    const input = [...STUDY.filter((s) => s.seriesNumber !== 4).flatMap((s) => writeDicomSeries(s)), ...jpegXl];
    const before = input.map((f) => f.bytes.slice());
    const study = await convertDicomStudy(input, nodeDicomConverter());
    const compressed = study.issues.find((i) => i.code === 'dicom-compressed')!;
    expect(compressed.severity).toBe('error');
    expect(compressed.files).toEqual(jpegXl.map((f) => f.name));
    expect(compressed.message).toBe(
      "8 DICOM file(s) of series 4 'AX FLAIR' are compressed as JPEG XL (transfer syntax 1.2.840.10008.1.2.4.112), which dcm2niix cannot decode here; they were not converted. Decompress them first (e.g. `gdcmconv --raw` or `dcmconv +te`) and drop them again.",
    );
    expect(study.series.map((s) => s.info.seriesNumber)).toEqual([1, 2, 3, 5, 6, 7]);
    input.forEach((f, n) => expect(Buffer.compare(Buffer.from(f.bytes), Buffer.from(before[n]))).toBe(0));
  });

  it('non-DICOM files mixed in are left out with a warning; only non-DICOM is an error', async () => {
    const junk = [
      { name: 'study/README.txt', bytes: new TextEncoder().encode('exported from PACS\n') },
      { name: 'study/report.pdf', bytes: new TextEncoder().encode('%PDF-1.4 '.repeat(40)) },
      { name: 'study/.DS_Store', bytes: new Uint8Array(64) },
    ];
    const study = await convertDicomStudy([...studyFiles(), ...junk], nodeDicomConverter());
    expect(study.issues).toEqual([
      {
        code: 'not-dicom',
        severity: 'warning',
        files: ['study/README.txt', 'study/report.pdf'],
        message: '2 file(s) are not DICOM and were left out: study/README.txt, study/report.pdf. The DICOM files beside them were converted.',
      },
    ]);
    expect(study.series).toHaveLength(7);
    const onlyJunk = await convertDicomStudy(junk, nodeDicomConverter());
    expect(onlyJunk.issues.map((i) => [i.code, i.severity])).toEqual([['not-dicom', 'error']]);
    expect(onlyJunk.series).toEqual([]);
  });

  it('two conversions in a row do not see each other\'s files (a fresh module each time)', async () => {
    const converter = nodeDicomConverter();
    const a = await convertDicomStudy(writeDicomSeries(STUDY[2]), converter);
    const b = await convertDicomStudy(writeDicomSeries(STUDY[3]), converter);
    expect(a.series.map((s) => s.niftiName)).toEqual(['3_ax_T2_TSE.nii']);
    expect(b.series.map((s) => s.niftiName)).toEqual(['4_AX_FLAIR.nii']);
  });
});

describe('the transfer-syntax table matches what the wasm build decodes', () => {
  // Each file says it is compressed but holds raw pixels: dcm2niix either refuses the syntax
  // outright ("Unsupported transfer syntax") or tries to decode it; the table must agree.
  it.each([
    ...Object.keys(READABLE_TRANSFER_SYNTAXES).map((uid) => [uid, true] as const),
    ...['1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.4.92', '1.2.840.10008.1.2.4.94', '1.2.840.10008.1.2.4.100', '1.2.840.10008.1.2.4.102', '1.2.840.10008.1.2.4.107', '1.2.840.10008.1.2.4.110', '1.2.840.10008.1.2.4.202'].map((uid) => [uid, false] as const),
  ])('%s readable: %s', async (uid, readable) => {
    expect(isReadableTransferSyntax(uid)).toBe(readable);
    const files = writeDicomSeries({ seriesNumber: 2, description: 't1', dims: [4, 4, 2], transferSyntaxUid: uid });
    const out = await nodeDicomConverter().convert(files);
    expect(out.log.some((l) => l.includes(`Unsupported transfer syntax '${uid}'`))).toBe(!readable);
  });
});

describe('dcm2niix\'s own refusals are passed on', () => {
  it('a 16-bit series stored as extended JPEG (dcm2niix decodes 8-bit JPEG only): named by dcm2niix\'s message; the rest converts', async () => {
    const bad = writeDicomSeries({ ...STUDY[3], transferSyntaxUid: '1.2.840.10008.1.2.4.51' });
    const study = await convertDicomStudy([...writeDicomSeries(STUDY[2]), ...bad], nodeDicomConverter());
    expect(study.series.map((s) => s.niftiName)).toEqual(['3_ax_T2_TSE.nii']);
    const warning = study.issues.find((i) => i.code === 'dicom-conversion-errors')!;
    expect(warning.severity).toBe('warning');
    expect(warning.message).toContain('Unable to decode 16-bit images with Transfer Syntax 1.2.840.10008.1.2.4.51');
    const alone = await convertDicomStudy(bad, nodeDicomConverter());
    expect(alone.series).toEqual([]);
    expect(alone.issues.map((i) => i.code)).toEqual(['dicom-no-series']);
    expect(alone.issues[0].message).toMatch(/^dcm2niix found no image series it could convert in the 8 DICOM file\(s\) \(.*Unable to decode 16-bit images/);
  });
});
