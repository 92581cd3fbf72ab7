import { describe, expect, it } from 'vitest';
import { loadCase, makeSyntheticCase, MODALITIES, physicalValues, type MriCase } from '../core/index.ts';
import { currentEdit } from './editSlice.ts';
import { useAttune, type RunResults } from './store.ts';

/**
 * The edit slice in the real store (no worker: results are set as a finished run sets them).
 * The mask arithmetic is core's (tested there); this checks the slice's promises: a copy,
 * never the source; summary follows; undo/redo; dropped with its results.
 */
async function fakeResults(): Promise<RunResults> {
  const synthetic = makeSyntheticCase({ seed: 5 });
  const mriCase = (await loadCase([...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg])).check.mriCase as MriCase;
  const baseline = Uint8Array.from(physicalValues(mriCase.label!));
  const bn = new Uint8Array(baseline.length);
  return { mriCase, backend: 'wasm', baseline, baselineSeconds: 1, modes: [{ mode: 'bn', labels: bn, segmentSeconds: 1, report: {} as never }], summaries: [], signals: { evidence: {} as never, reading: null } };
}

describe('edit slice', () => {
  it('edits a copy, measures it, undoes and redoes, and is dropped with its results', async () => {
    const results = await fakeResults();
    const bnBefore = results.modes[0].labels.slice();
    useAttune.setState({ results });
    const s = useAttune.getState();
    s.startEdit('bn');
    expect(currentEdit(useAttune.getState())?.from).toBe('bn');
    s.setEditTool({ tool: 'brush', label: 4, radius: 1 });
    s.strokeEdit(2, [[10, 10, 5], [14, 10, 5]]);
    const edited = currentEdit(useAttune.getState())!;
    const painted = edited.labels.reduce((n, v) => n + (v === 4 ? 1 : 0), 0);
    expect(painted).toBeGreaterThan(5);
    expect(edited.summary.source).toBe('edited');
    expect(edited.summary.volumes.find((v) => v.key === 'ET')!.voxels).toBe(painted);
    expect(edited.summary.dice).not.toBeNull();
    expect(results.modes[0].labels).toEqual(bnBefore); // the BN result is untouched

    s.setEditTool({ radius: 99 });
    expect(useAttune.getState().edit.radius).toBe(20); // clamped
    s.undoEdit();
    expect(currentEdit(useAttune.getState())!.labels).toEqual(bnBefore);
    s.redoEdit();
    expect(currentEdit(useAttune.getState())!.labels.reduce((n, v) => n + (v === 4 ? 1 : 0), 0)).toBe(painted);

    // A fill outside any closed region says why and changes nothing.
    s.fillEdit(2, [0, 0, 5]);
    expect(useAttune.getState().edit.message).toMatch(/not closed/);
    expect(currentEdit(useAttune.getState())!.history.done).toHaveLength(1);

    useAttune.setState({ results: await fakeResults() });
    expect(currentEdit(useAttune.getState())).toBeNull();
    expect(useAttune.getState().edit.mask).toBeNull();
  });
});
