import { describe, expect, it } from 'vitest';
import type { Grid } from '../registration/index.ts';
import type { MeshnetModel } from '../skullStrip/index.ts';
import { stripWorkingBytes } from '../skullStrip/index.ts';
import { checkRawStudyMemory, estimateRawStudyMemory, RAW_STUDY_BUDGET_BYTES } from './memoryPlan.ts';

const MiB = 2 ** 20;
const axial = (dims: [number, number, number], mm: [number, number, number]): Grid => ({
  dims,
  affine: [[mm[0], 0, 0, 0], [0, mm[1], 0, 0], [0, 0, mm[2], 0], [0, 0, 0, 1]],
});
const study = (g: Grid) => ({ t1: g, t1ce: g, t2: g, flair: g });
/** A stripper whose working memory is a fixed 2 GiB, whatever the grid (the plan adds, it does not model the strip). */
const stripper = { workingBytes: () => 2048 * MiB };

describe('the raw study memory plan', () => {
  it('adds the series, their 2 mm copies, the strip and the atlas-grid outputs, largest first', () => {
    const g = axial([256, 224, 26], [0.9, 0.9, 5.5]); // FG-6692's grid
    const e = estimateRawStudyMemory(study(g), stripper);
    const series = 4 * 256 * 224 * 26 * 4;
    const atlas = 240 * 240 * 155;
    expect(e.parts.map((p) => p.what)).toEqual(['skull stripping the T1Gd', 'the series on the atlas grid', 'the four series', 'their 2 mm copies for registration']);
    expect(e.parts.find((p) => p.what === 'the four series')!.bytes).toBe(series);
    // 0.9×0.9×5.5 mm voxels are larger than 8 mm³: the 2 mm copy cannot have more voxels than the series.
    expect(e.parts.find((p) => p.what === 'their 2 mm copies for registration')!.bytes).toBe(Math.ceil((256 * 224 * 26 * 0.9 * 0.9 * 5.5) / 8) * 4 * 4);
    expect(e.parts.find((p) => p.what === 'the series on the atlas grid')!.bytes).toBe(atlas * (4 * 4 * 2 + 4 + 2));
    expect(e.bytes).toBe(e.parts.reduce((n, p) => n + p.bytes, 0));
    expect(checkRawStudyMemory(study(g), e)).toBeNull();
  });

  it('an already stripped study plans no strip', () => {
    const g = axial([256, 256, 160], [1, 1, 1]);
    const withStrip = estimateRawStudyMemory(study(g), stripper);
    const without = estimateRawStudyMemory(study(g), null);
    expect(withStrip.bytes - without.bytes).toBe(2048 * MiB);
    expect(without.parts.some((p) => p.what.includes('skull'))).toBe(false);
  });

  it('four series at the per-file voxel limit (512×512×256, 256 mm across) with MindGrab exceed the tab plan and are refused with their sizes', () => {
    const g = axial([512, 512, 256], [0.5, 0.5, 1]);
    const mindgrabShaped = { inChannels: 1, convs: Array.from({ length: 25 }, () => ({ cout: 15 })) } as unknown as MeshnetModel;
    const e = estimateRawStudyMemory(study(g), { workingBytes: (head) => stripWorkingBytes(mindgrabShaped, head) });
    expect(e.bytes).toBeGreaterThan(RAW_STUDY_BUDGET_BYTES);
    const refusal = checkRawStudyMemory(study(g), e);
    expect(refusal?.code).toBe('study-too-large');
    expect(refusal?.message).toMatch(/it needs about 4\.\d GiB \(skull stripping the T1Gd 2\.8 GiB, the four series 1\.0 GiB, /);
    expect(refusal?.message).toContain('more than the 4.0 GiB planned (series: T1 512×512×256, T1Gd 512×512×256, T2 512×512×256, FLAIR 512×512×256)');
    expect(refusal?.message).toMatch(/command line/);
    // A larger plan (the CLI's: half this machine's memory) takes it.
    expect(checkRawStudyMemory(study(g), e, 8192 * MiB)).toBeNull();
  });
});
