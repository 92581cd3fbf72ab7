import { describe, expect, it } from 'vitest';
import { assignSeries } from './assignSeries.ts';
import type { SeriesInfo } from './types.ts';

function series(patch: Partial<SeriesInfo>): SeriesInfo {
  return {
    id: 'x', seriesNumber: 1, seriesDescription: null, protocolName: null, sequenceName: null, scanningSequence: null,
    modality: 'MR', imageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'], acquisition: '2D', repetitionTimeMs: null, echoTimeMs: null,
    inversionTimeMs: null, contrastAgent: null, bodyPart: null, dims: [256, 256, 26], spacingMm: [0.9, 0.9, 5.5], bValues: null,
    ...patch,
  };
}
const decide = (patch: Partial<SeriesInfo>) => assignSeries([series(patch)])[0];

describe('assignSeries: roles from names', () => {
  it.each([
    ['t1_mprage_sag_p2_iso', 't1'],
    ['T1 SE AX', 't1'],
    ['Ax T1 FSPGR BRAVO', 't1'],
    ['t1_mprage_sag_post', 't1ce'],
    ['AX T1 +C', 't1ce'],
    ['T1 GD AX', 't1ce'],
    ['t1_vibe_ce_tra', 't1ce'],
    ['T1W_3D_TFE_KM', 't1ce'],
    ['t2_tse_tra_512', 't2'],
    ['AX T2 FRFSE', 't2'],
    ['t2_flair_tra_fs', 'flair'],
    ['AX T2 FLAIR', 'flair'],
    ['tirm_dark-fluid_tra', 'flair'],
    ['Sag CUBE T2 FLAIR', 'flair'],
    ['AX T1 FLAIR', 't1'],
    ['T1 pre contrast', 't1'],
  ])('%s → %s', (description, role) => {
    const d = decide({ seriesDescription: description });
    expect(d.role).toBe(role);
    expect(d.skip).toBeNull();
    expect(d.reason).toContain(`'${description}'`);
  });

  it('ContrastBolusAgent makes a T1 a T1Gd and is named in the reason; "none" does not', () => {
    expect(decide({ seriesDescription: 't1_mprage', contrastAgent: 'Dotarem' })).toMatchObject({ role: 't1ce', reason: "T1-weighted (named 't1_mprage'), with contrast agent (ContrastBolusAgent 'Dotarem')" });
    expect(decide({ seriesDescription: 't1_mprage', contrastAgent: 'NONE' }).role).toBe('t1');
  });

  it('ProtocolName decides when SeriesDescription is empty', () => {
    expect(decide({ protocolName: 'AX_FLAIR' }).role).toBe('flair');
  });
});

describe('assignSeries: roles from timing when the names say nothing', () => {
  it.each([
    [{ repetitionTimeMs: 9000, echoTimeMs: 90, inversionTimeMs: 2500 }, 'flair', /inversion recovery with long TE \(TR 9000 ms, TE 90 ms, TI 2500 ms\)/],
    [{ repetitionTimeMs: 4000, echoTimeMs: 100 }, 't2', /long TE and TR/],
    [{ repetitionTimeMs: 500, echoTimeMs: 12 }, 't1', /short TE and TR/],
    [{ repetitionTimeMs: 2300, echoTimeMs: 3, inversionTimeMs: 900 }, 't1', /short TE and an inversion time/],
    [{ repetitionTimeMs: 2300, echoTimeMs: 3, inversionTimeMs: 900, contrastAgent: 'Gadovist' }, 't1ce', /ContrastBolusAgent 'Gadovist'/],
  ])('%o → %s', (timing, role, reason) => {
    const d = decide({ seriesDescription: 'series 7', ...timing });
    expect(d.role).toBe(role);
    expect(d.reason).toMatch(reason);
  });

  it('neither names nor timing: no role, no skip, the user assigns it', () => {
    const d = decide({ seriesDescription: 'sequence 9', repetitionTimeMs: 30, echoTimeMs: 40 });
    expect(d).toMatchObject({ role: null, skip: null });
    expect(d.reason).toMatch(/^not recognised from its name 'sequence 9' or timing \(TR 30 ms, TE 40 ms\)/);
  });
});

describe('assignSeries: listed and skipped, with the reason', () => {
  it.each([
    [{ modality: 'CT', seriesDescription: 'Head CT' }, 'not-mr', 'CT images, not MRI'],
    [{ bodyPart: 'CSPINE', seriesDescription: 't2_tse_sag' }, 'not-brain', 'BodyPartExamined is CSPINE, not the head'],
    [{ seriesDescription: 'localizer' }, 'localiser', "named 'localizer'"],
    [{ seriesDescription: 't1_mprage', imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] }, 'localiser', 'ImageType LOCALIZER'],
    [{ seriesDescription: 't1 2 slices', dims: [256, 256, 1] }, 'localiser', 'a single slice'],
    [{ seriesDescription: 'ep2d_diff', bValues: [0, 1000, 1000] }, 'diffusion', 'b-values up to 1000'],
    [{ seriesDescription: 'series 4', imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'ADC'] }, 'diffusion', 'ImageType DERIVED\\PRIMARY\\DIFFUSION\\ADC'],
    [{ seriesDescription: 'AX DWI' }, 'diffusion', "named 'AX DWI'"],
    [{ seriesDescription: 't1_mprage_post_MPR_cor', imageType: ['DERIVED', 'SECONDARY', 'MPR'] }, 'derived', 'a derived image'],
    [{ seriesDescription: 'rest_bold', dims: [64, 64, 35, 200], scanningSequence: 'EP' }, 'time-series', '200 volumes over time (EPI, '],
    [{ seriesDescription: 'perfusion DSC' }, 'time-series', 'functional or perfusion'],
    [{ seriesDescription: 'SWI_Images' }, 'other-contrast', 'susceptibility-weighted'],
    [{ seriesDescription: 'TOF_3D_multi-slab' }, 'other-contrast', 'angiography'],
  ])('%o → %s', (patch, kind, reason) => {
    const d = decide(patch as Partial<SeriesInfo>);
    expect(d.role).toBeNull();
    expect(d.skip).toBe(kind);
    expect(d.reason).toContain(reason);
  });

  it('a head series is kept when BodyPartExamined says BRAIN or HEAD', () => {
    expect(decide({ bodyPart: 'BRAIN', seriesDescription: 't2_tse' }).role).toBe('t2');
    expect(decide({ bodyPart: 'HEAD', seriesDescription: 't2_tse' }).role).toBe('t2');
  });

  it('one decision per series, in order, each with its series id', () => {
    const out = assignSeries([series({ id: 'a', seriesDescription: 't2' }), series({ id: 'b', seriesDescription: 'flair' })]);
    expect(out.map((d) => [d.seriesId, d.role])).toEqual([['a', 't2'], ['b', 'flair']]);
  });
});
