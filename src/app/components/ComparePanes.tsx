import { SLICE_TYPE, type Niivue } from '@niivue/niivue';
import { useCallback, useMemo, useRef, useState } from 'react';
import { labelCentroid, physicalValues, ROLE_LABELS, voxelToWorld, voxelVolumeMl } from '../../core/index.ts';
import { maskChanges } from '../../core/results/index.ts';
import { CHANGE_COLOURS, formatMl, labelColormap, NIIVUE_CHANGE_COLORMAP, rgb } from '../labelColours.ts';
import { maskSourceName } from '../modeNames.ts';
import { currentEdit, sourceMask } from '../editSlice.ts';
import { useAttune, type MaskSource, type RunResults } from '../store.ts';
import { LabelToggles } from './LabelToggles.tsx';
import { MaskPane, type PaneOverlay } from './MaskPane.tsx';

const SLICE_TYPES: { type: SLICE_TYPE; name: string }[] = [
  { type: SLICE_TYPE.AXIAL, name: 'Axial' },
  { type: SLICE_TYPE.CORONAL, name: 'Coronal' },
  { type: SLICE_TYPE.SAGITTAL, name: 'Sagittal' },
  { type: SLICE_TYPE.MULTIPLANAR, name: '3 planes' },
  { type: SLICE_TYPE.RENDER, name: '3D' },
];

/** What the panes link: crosshair and 2D pan/zoom (both directions), and the slice type. */
const LINK = { '2d': true, '3d': true, crosshair: true, zoomPan: true, sliceType: true };

function maskOf(results: RunResults, source: MaskSource, edited: Uint8Array | null): Uint8Array | null {
  return source === 'edited' ? edited : sourceMask(results, source);
}

/**
 * Before/after: two linked niivue views of the chosen modality — by default the baseline
 * mask left and the adapted one right — any mask on either side, and on the right the
 * voxels that changed relative to the left instead of the mask.
 */
export function ComparePanes({ results }: { results: RunResults }) {
  const view = useAttune((s) => s.view);
  const setView = useAttune((s) => s.setView);
  const modality = useAttune((s) => s.viewModality);
  const edited = useAttune(currentEdit);
  const hiddenLabels = useAttune((s) => s.hiddenLabels);
  const [sliceType, setSliceType] = useState<SLICE_TYPE>(SLICE_TYPE.AXIAL);
  const panes = useRef<{ left: Niivue | null; right: Niivue | null }>({ left: null, right: null });

  // Zoom both views at once (niivue's own wheel scrolls slices; these buttons zoom).
  const zoom = (factor: number | null) => {
    for (const nv of [panes.current.left, panes.current.right]) {
      if (!nv) continue;
      const z = nv.scene.pan2Dxyzmm;
      if (sliceType === SLICE_TYPE.RENDER) nv.scene.volScaleMultiplier = factor === null ? 1 : Math.min(4, Math.max(0.5, nv.scene.volScaleMultiplier * factor));
      else if (factor === null) nv.scene.pan2Dxyzmm = [0, 0, 0, 1] as unknown as typeof z;
      else z[3] = Math.min(8, Math.max(0.5, z[3] * factor));
      nv.drawScene();
      nv.createOnLocationChange();
    }
  };

  const link = () => {
    const { left, right } = panes.current;
    if (!left || !right) return;
    left.broadcastTo(right, LINK);
    right.broadcastTo(left, LINK);
  };
  const registerLeft = useCallback((nv: Niivue | null) => {
    panes.current.left = nv;
    link();
  }, []);
  const registerRight = useCallback((nv: Niivue | null) => {
    panes.current.right = nv;
    link();
  }, []);

  const { mriCase } = results;
  const scan = mriCase.modalities[modality];
  const sources: MaskSource[] = [
    'baseline',
    ...results.modes.map((m) => m.mode),
    ...(edited ? (['edited'] as const) : []),
    ...(mriCase.label ? (['label'] as const) : []),
  ];
  const left = sources.includes(view.left) ? view.left : 'baseline';
  const right = sources.includes(view.right) ? view.right : (sources[1] ?? 'baseline');

  const editedLabels = edited?.labels ?? null;
  const leftMask = useMemo(() => maskOf(results, left, editedLabels), [results, left, editedLabels]);
  const rightMask = useMemo(() => maskOf(results, right, editedLabels), [results, right, editedLabels]);
  const changes = useMemo(
    () => (view.showChanges && leftMask && rightMask ? maskChanges(leftMask, rightMask) : null),
    [view.showChanges, leftMask, rightMask],
  );
  const leftOverlay = useMemo<PaneOverlay | null>(
    () => (leftMask ? { data: leftMask, kind: 'labels', colormap: labelColormap(hiddenLabels) } : null),
    [leftMask, hiddenLabels],
  );
  const rightOverlay = useMemo<PaneOverlay | null>(() => {
    if (changes) return { data: changes.map, kind: 'changes', colormap: NIIVUE_CHANGE_COLORMAP };
    return rightMask ? { data: rightMask, kind: 'labels', colormap: labelColormap(hiddenLabels) } : null;
  }, [changes, rightMask, hiddenLabels]);
  // Both views open on the tumour the model found (else the expert's, else the centre).
  const focusMm = useMemo(() => {
    const grid = mriCase.modalities.t1;
    const centre =
      labelCentroid(results.baseline, grid.dims) ??
      results.modes.map((m) => labelCentroid(m.labels, grid.dims)).find(Boolean) ??
      (mriCase.label ? labelCentroid(physicalValues(mriCase.label), grid.dims) : null) ??
      (grid.dims.map((n) => Math.floor(n / 2)) as [number, number, number]);
    return voxelToWorld(grid.affine, centre);
  }, [results, mriCase]);

  const voxelMl = voxelVolumeMl(mriCase.modalities.t1);
  const picker = (side: 'left' | 'right', value: MaskSource) => (
    <label className="pane__picker">
      <span className="muted">{side === 'left' ? 'Left' : 'Right'}</span>
      <select aria-label={`${side === 'left' ? 'Left' : 'Right'} view shows`} value={value} onChange={(e) => setView({ [side]: e.target.value as MaskSource })}>
        {sources.map((s) => (
          <option key={s} value={s}>{s === 'edited' && edited ? `Edited from: ${maskSourceName(edited.from)}` : maskSourceName(s)}</option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="panel compare" aria-labelledby="compare-heading">
      <div className="panel__header">
        <h2 id="compare-heading">Before / after · {ROLE_LABELS[modality]}</h2>
        <LabelToggles />
        <div className="segmented" aria-label="Zoom">
          <button type="button" aria-label="Zoom in" onClick={() => zoom(1.25)}>+</button>
          <button type="button" aria-label="Zoom out" onClick={() => zoom(0.8)}>−</button>
          <button type="button" aria-label="Reset zoom" onClick={() => zoom(null)}>1:1</button>
        </div>
        <div className="segmented" role="radiogroup" aria-label="Slice orientation">
          {SLICE_TYPES.map((s) => (
            <button key={s.name} type="button" role="radio" aria-checked={sliceType === s.type} className={sliceType === s.type ? 'active' : undefined} onClick={() => setSliceType(s.type)}>
              {s.name}
            </button>
          ))}
        </div>
      </div>
      <div className="panes">
        <MaskPane testId="pane-left" scan={scan} scanName={modality} overlay={leftOverlay} focusMm={focusMm} focusKey={results} sliceType={sliceType} register={registerLeft}>
          {picker('left', left)}
        </MaskPane>
        <MaskPane testId="pane-right" scan={scan} scanName={modality} overlay={rightOverlay} focusMm={focusMm} focusKey={results} sliceType={sliceType} register={registerRight}>
          <div className="pane__header">
            {picker('right', right)}
            <label className="pane__toggle">
              <input type="checkbox" checked={view.showChanges} onChange={(e) => setView({ showChanges: e.target.checked })} />
              Changed voxels
            </label>
          </div>
        </MaskPane>
      </div>
      {changes && (
        <ul className="changes-legend" data-testid="changes-legend">
          {(['gained', 'lost', 'relabelled'] as const).map((k) => (
            <li key={k} data-testid={`changes-${k}`} data-voxels={changes.counts[k]}>
              <span className="swatch" style={{ background: rgb(CHANGE_COLOURS[k]) }} aria-hidden />
              {k} {formatMl(changes.counts[k] * voxelMl)}
            </li>
          ))}
          <li className="muted">right ({maskSourceName(right)}) relative to left ({maskSourceName(left)}); click or scroll in either view, both follow</li>
        </ul>
      )}
      {!changes && <p className="muted pane__hint">Click or scroll in either view, or zoom: both follow (same slice, crosshair and zoom).</p>}
    </section>
  );
}
