import { SLICE_TYPE } from '@niivue/niivue';
import { useMemo, useState } from 'react';
import { BRATS_LABELS, writeNifti } from '../../core/index.ts';
import { exportConvention, fromInternalLabels } from '../../core/labels/index.ts';
import { brainCentre, compareVolumes, maskOnT1ce } from '../../core/rawStudy/index.ts';
import { downloadFile } from '../download.ts';
import { currentEdit } from '../editSlice.ts';
import { formatMl, NIIVUE_LABEL_COLORMAP } from '../labelColours.ts';
import { maskSourceName } from '../modeNames.ts';
import { useAttune } from '../store.ts';
import type { MaskSource } from '../viewSlice.ts';
import { MaskPane } from './MaskPane.tsx';

/**
 * After a raw study is accepted: the atlas-grid case is the case (viewer, run, results and
 * their export above); here the dropped files it came from, and, once the model has run, any
 * mask on the T1Gd's own grid (same dimensions and affine as the dropped T1Gd file, through
 * `maskOnT1ce`) — shown on the native T1Gd, its volume beside the atlas grid's, and exported.
 */
export function RawStudyOutcome() {
  const raw = useAttune((s) => s.rawStudy);
  const results = useAttune((s) => s.results);
  const edited = useAttune(currentEdit);
  const choice = useAttune((s) => s.exportLabels);
  const [picked, setPicked] = useState<MaskSource>('baseline');
  const prepared = raw.result?.prepared ?? null;
  const t1ce = raw.source.find((f) => f.role === 't1ce')?.volume ?? null;
  const masks = useMemo(() => {
    if (!results) return [];
    const list: { source: MaskSource; labels: Uint8Array }[] = [...results.modes.map((m) => ({ source: m.mode as MaskSource, labels: m.labels })), { source: 'baseline', labels: results.baseline }];
    if (edited) list.push({ source: 'edited', labels: edited.labels });
    return list;
  }, [results, edited]);
  const chosen = masks.find((m) => m.source === picked) ?? masks[0] ?? null;
  const native = useMemo(() => (prepared && chosen ? maskOnT1ce(prepared, chosen.labels) : null), [prepared, chosen]);
  const comparison = useMemo(() => (prepared && chosen && native ? compareVolumes(chosen.labels, prepared.grid, native, prepared.t1ceGrid) : null), [prepared, chosen, native]);
  const overlay = useMemo(() => (native ? { data: native, kind: 'labels' as const, colormap: NIIVUE_LABEL_COLORMAP } : null), [native]);
  const focus = useMemo(() => (prepared && native && native.some((v) => v !== 0) ? brainCentre(native, prepared.t1ceGrid) : prepared ? brainCentre(prepared.brainOnT1ce, prepared.t1ceGrid) : null), [prepared, native]);
  if (raw.status !== 'accepted' || !prepared || !t1ce) return null;

  const convention = exportConvention(choice, results?.mriCase.labelConvention ?? null);
  const saveNative = (source: MaskSource, labels: Uint8Array) =>
    downloadFile(
      `${raw.stem}_attune-${source}_t1gd-grid.nii.gz`,
      writeNifti(t1ce, fromInternalLabels(maskOnT1ce(prepared, labels), convention), { description: `Attune mask (${source}) on the T1Gd grid`, intentCode: 1002 }),
      'application/gzip',
    );
  return (
    <section className="panel" aria-labelledby="raw-outcome-heading" data-testid="raw-study-outcome">
      <h2 id="raw-outcome-heading">Raw study</h2>
      <p className="muted" data-testid="raw-study-accepted">
        The model runs on the four series registered to the SRI24 atlas (the table lists them: {raw.stem}_t1.nii.gz …). The dropped files are
        unchanged: {raw.source.map((f) => f.name).join(', ')}.
      </p>
      {!results && <p className="muted">Run the model; its masks will also be shown and exported on the T1Gd’s own grid ({prepared.t1ceGrid.dims.join('×')} voxels).</p>}
      {results && chosen && comparison && (
        <>
          <label>
            Mask on the T1Gd’s own grid{' '}
            <select data-testid="native-mask-source" value={chosen.source} onChange={(e) => setPicked(e.target.value as MaskSource)}>
              {masks.map((m) => (
                <option key={m.source} value={m.source}>{maskSourceName(m.source)}</option>
              ))}
            </select>
          </label>
          <div className="raw-qc__view">
            <MaskPane testId="native-view" scan={t1ce} scanName="T1Gd (as dropped)" overlay={overlay} focusMm={focus} focusKey={chosen.source} sliceType={SLICE_TYPE.MULTIPLANAR} register={() => undefined} />
          </div>
          <table className="results-table" data-testid="native-volumes">
            <thead>
              <tr>
                <th>{maskSourceName(chosen.source)}</th>
                {BRATS_LABELS.map((l) => <th key={l.key}>{l.key}</th>)}
                <th>Whole tumour</th>
              </tr>
            </thead>
            <tbody>
              {([['native', 'on the T1Gd’s own grid'], ['atlas', 'on the atlas grid']] as const).map(([grid, words]) => (
                <tr key={grid} data-testid={`${grid}-row`}>
                  <td>{words}</td>
                  {BRATS_LABELS.map((l) => <td key={l.key}>{formatMl(comparison[grid].byLabel[l.value] ?? 0)}</td>)}
                  <td data-testid={`${grid}-ml`}>{formatMl(comparison[grid].totalMl)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted" data-testid="native-volume-difference">{comparison.sentence}</p>
          <div className="export-buttons">
            {masks.map((m) => (
              <button key={m.source} type="button" data-testid={`export-native-${m.source}`} onClick={() => saveNative(m.source, m.labels)}>
                {maskSourceName(m.source)} on the T1Gd grid (.nii.gz)
              </button>
            ))}
          </div>
          <p className="muted">
            On the T1Gd grid: the dropped T1Gd file’s header, dimensions and affine, so the mask opens aligned with it in any viewer. The
            atlas-grid masks are under Export above.
          </p>
        </>
      )}
    </section>
  );
}
