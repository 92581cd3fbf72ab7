import { SLICE_TYPE, type Niivue } from '@niivue/niivue';
import { useEffect, useMemo, useRef, useState } from 'react';
import { BRATS_LABELS, labelCentroid, voxelToWorld, worldToVoxel } from '../../core/index.ts';
import { sliceAxis, type VoxelPoint } from '../../core/edit/index.ts';
import { currentEdit, MAX_RADIUS, MIN_RADIUS, type EditTool } from '../editSlice.ts';
import { formatMl, LABEL_COLOURS, LABEL_OPACITY, NIIVUE_LABEL_COLORMAP, rgb } from '../labelColours.ts';
import { maskSourceName } from '../modeNames.ts';
import { crosshairText, loadScanImage, newNiivue, pointerToMm, releaseNiivue, showInDrawingLayer } from '../niivue.ts';
import { useAttune, type MaskSource, type RunResults } from '../store.ts';

type Plane = 'axial' | 'coronal' | 'sagittal';
const PLANES: { plane: Plane; name: string; type: SLICE_TYPE; worldAxis: 0 | 1 | 2 }[] = [
  { plane: 'axial', name: 'Axial', type: SLICE_TYPE.AXIAL, worldAxis: 2 },
  { plane: 'coronal', name: 'Coronal', type: SLICE_TYPE.CORONAL, worldAxis: 1 },
  { plane: 'sagittal', name: 'Sagittal', type: SLICE_TYPE.SAGITTAL, worldAxis: 0 },
];
const TOOLS: { tool: EditTool; name: string; key: string }[] = [
  { tool: 'brush', name: 'Brush', key: 'B' },
  { tool: 'eraser', name: 'Eraser', key: 'E' },
  { tool: 'fill', name: 'Fill', key: 'F' },
];

/**
 * Correcting a mask by hand: a copy of any result ("Edited from: …") painted, erased and
 * filled with the mouse in one plane at a time, with undo/redo and keyboard shortcuts.
 * Pointer positions become voxels through niivue (canvas → mm) and core (mm → voxel); the
 * store's edit slice changes the voxels (core/edit); niivue's drawing layer shows them.
 */
export function EditPanel({ results }: { results: RunResults }) {
  const edit = useAttune((s) => s.edit);
  const mask = useAttune(currentEdit);
  const { startEdit, setEditTool, undoEdit, redoEdit, discardEdit } = useAttune.getState();
  const sources: Exclude<MaskSource, 'edited'>[] = ['baseline', ...results.modes.map((m) => m.mode), ...(results.mriCase.label ? (['label'] as const) : [])];
  // Default: the (first) adapted mask; a choice that a new run no longer has falls back to it.
  const [picked, setFrom] = useState<Exclude<MaskSource, 'edited'> | null>(null);
  const from = picked && sources.includes(picked) ? picked : sources[results.modes.length > 0 ? 1 : 0];

  // Shortcuts (not while typing in a field): the letters shown on the buttons.
  useEffect(() => {
    if (!mask) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      const k = e.key.toLowerCase();
      if ((e.ctrlKey || e.metaKey) && k === 'z') (e.shiftKey ? redoEdit : undoEdit)();
      else if ((e.ctrlKey || e.metaKey) && k === 'y') redoEdit();
      else if (e.ctrlKey || e.metaKey || e.altKey) return;
      else if (k === 'b') setEditTool({ tool: 'brush' });
      else if (k === 'e') setEditTool({ tool: 'eraser' });
      else if (k === 'f') setEditTool({ tool: 'fill' });
      else if (k === '[') setEditTool({ radius: useAttune.getState().edit.radius - 1 });
      else if (k === ']') setEditTool({ radius: useAttune.getState().edit.radius + 1 });
      else if (['1', '2', '3'].includes(k)) setEditTool({ label: BRATS_LABELS[Number(k) - 1].value, tool: useAttune.getState().edit.tool === 'eraser' ? 'brush' : useAttune.getState().edit.tool });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mask !== null]); // eslint-disable-line react-hooks/exhaustive-deps -- store actions are stable

  return (
    <section className="panel edit" aria-labelledby="edit-heading" data-testid="edit-panel">
      <div className="panel__header">
        <h2 id="edit-heading">Correct the mask</h2>
        <label className="pane__picker">
          <span className="muted">Start from</span>
          <select aria-label="Edit starts from" value={from} onChange={(e) => setFrom(e.target.value as Exclude<MaskSource, 'edited'>)}>
            {sources.map((s) => <option key={s} value={s}>{maskSourceName(s)}</option>)}
          </select>
        </label>
        <button type="button" data-testid="edit-start" onClick={() => startEdit(from)}>
          {mask ? 'Start over' : 'Edit a copy'}
        </button>
        {mask && <button type="button" data-testid="edit-discard" onClick={discardEdit}>Discard edit</button>}
      </div>
      {!mask && <p className="muted">Paint, erase and fill NCR / ED / ET on a copy of any result; the copy is a result of its own, the others stay as they are.</p>}
      {mask && (
        <>
          <p className="edit__from" data-testid="edit-from">Edited from: {maskSourceName(mask.from)}</p>
          <div className="edit__tools">
            <div className="segmented" role="radiogroup" aria-label="Edit tool">
              {TOOLS.map((t) => (
                <button key={t.tool} type="button" role="radio" aria-checked={edit.tool === t.tool} className={edit.tool === t.tool ? 'active' : undefined} title={`${t.name} (${t.key})`} onClick={() => setEditTool({ tool: t.tool })}>
                  {t.name} <kbd>{t.key}</kbd>
                </button>
              ))}
            </div>
            <div className="segmented" role="radiogroup" aria-label="Label to paint">
              {BRATS_LABELS.map((l, n) => (
                <button key={l.key} type="button" role="radio" aria-checked={edit.label === l.value} className={edit.label === l.value ? 'active' : undefined} title={`${l.name} (${n + 1})`} onClick={() => setEditTool({ label: l.value })}>
                  <span className="swatch" style={{ background: rgb(LABEL_COLOURS[l.key]) }} aria-hidden /> {l.key} <kbd>{n + 1}</kbd>
                </button>
              ))}
            </div>
            <label className="edit__radius">
              Brush radius
              <input type="range" aria-label="Brush radius" min={MIN_RADIUS} max={MAX_RADIUS} value={edit.radius} onChange={(e) => setEditTool({ radius: Number(e.target.value) })} />
              <output data-testid="edit-radius">{edit.radius} vx</output>
              <kbd>[</kbd> <kbd>]</kbd>
            </label>
            <button type="button" data-testid="edit-undo" disabled={mask.history.done.length === 0} onClick={undoEdit} title="Undo (Ctrl+Z)">
              Undo <kbd>Ctrl+Z</kbd>
            </button>
            <button type="button" data-testid="edit-redo" disabled={mask.history.undone.length === 0} onClick={redoEdit} title="Redo (Ctrl+Shift+Z)">
              Redo <kbd>Ctrl+Shift+Z</kbd>
            </button>
            <span className="muted" data-testid="edit-steps" data-done={mask.history.done.length} data-undone={mask.history.undone.length}>
              {mask.history.done.length} step(s)
            </span>
          </div>
          <EditPane results={results} labels={mask.labels} />
          {edit.message && <p className="error-text" role="alert" data-testid="edit-message">{edit.message}</p>}
          <ul className="legend edit__volumes" data-testid="edit-volumes">
            {mask.summary.volumes.map((v) => (
              <li key={v.key} data-testid={`edit-ml-${v.key}`} data-voxels={v.voxels}>
                <span className="swatch" style={{ background: rgb(LABEL_COLOURS[v.key]) }} aria-hidden /> {v.key} {formatMl(v.ml)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The niivue view the edit is drawn in: the scan, the edited labels in niivue's drawing layer. */
function EditPane({ results, labels }: { results: RunResults; labels: Uint8Array }) {
  const modality = useAttune((s) => s.viewModality);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const nvRef = useRef<Promise<Niivue> | null>(null);
  const nvReady = useRef<Niivue | null>(null);
  const [plane, setPlane] = useState<Plane>('axial');
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [crosshair, setCrosshair] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const template = results.mriCase.modalities.t1;
  const scan = results.mriCase.modalities[modality];
  const worldAxis = PLANES.find((p) => p.plane === plane)!.worldAxis;
  const axis = useMemo(() => sliceAxis(template.affine, worldAxis), [template, worldAxis]);
  const focusMm = useMemo(() => {
    const c = labelCentroid(labels, template.dims) ?? (template.dims.map((n) => Math.floor(n / 2)) as [number, number, number]);
    return voxelToWorld(template.affine, c);
    // Centred once per run: later strokes must not move the view under the brush.
  }, [results]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (nvRef.current || !canvasRef.current) return;
    const nv = newNiivue();
    nv.onLocationChange = (loc) => {
      const text = crosshairText(loc);
      if (text) setCrosshair(text);
    };
    // niivue types the colour map as a name; it also takes a label map object (cmapper.makeDrawLut).
    nv.setDrawColormap(NIIVUE_LABEL_COLORMAP as unknown as string);
    nv.drawOpacity = LABEL_OPACITY;
    const attached = nv.attachToCanvas(canvasRef.current).then(() => (nvReady.current = nv));
    nvRef.current = attached;
    // Like every results view: free the WebGL context and listeners when the panel goes away.
    return () => {
      nvRef.current = null;
      nvReady.current = null;
      void attached.then(releaseNiivue);
    };
  }, []);

  // The scan (per modality) and the view's plane.
  useEffect(() => {
    let stale = false;
    setState('loading');
    (async () => {
      const nv = await nvRef.current!;
      const image = await loadScanImage(scan, modality);
      if (stale) return;
      const keep = nv.volumes.length > 0 ? Array.from(nv.scene.crosshairPos) : null;
      for (const old of [...nv.volumes]) nv.removeVolume(old);
      nv.addVolume(image);
      nv.setSliceType(PLANES.find((p) => p.plane === plane)!.type);
      nv.scene.crosshairPos = (keep ?? nv.mm2frac(focusMm)) as typeof nv.scene.crosshairPos;
      await showInDrawingLayer(nv, template, useAttune.getState().edit.mask?.labels ?? labels);
      nv.drawScene();
      nv.createOnLocationChange();
      if (!stale) setState('ready');
    })().catch((err: Error) => {
      setFailure(`The edit view could not be drawn: ${err.message}`);
      setState('failed');
    });
    return () => {
      stale = true;
    };
  }, [scan, modality]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void nvRef.current?.then((nv) => {
      nv.setSliceType(PLANES.find((p) => p.plane === plane)!.type);
      nv.drawScene();
    });
  }, [plane]);

  // Every change of the edited labels (stroke, fill, undo, redo) is shown in the drawing layer.
  const shown = useRef<Uint8Array | null>(null);
  useEffect(() => {
    if (state !== 'ready' || shown.current === labels) return;
    shown.current = labels;
    void nvRef.current?.then(async (nv) => {
      await showInDrawingLayer(nv, template, labels);
      nv.drawScene();
    });
  }, [labels, state, template]);

  // Pointer → voxel path; one stroke (one undo step) per press–drag–release.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let path: VoxelPoint[] | null = null;
    const toVoxel = (e: PointerEvent): VoxelPoint | null => {
      const mm = nvReady.current ? pointerToMm(nvReady.current, canvas, e) : null;
      return mm ? worldToVoxel(template.affine, mm) : null;
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || !nvReady.current) return;
      const v = toVoxel(e);
      if (useAttune.getState().edit.tool === 'fill') {
        if (v) useAttune.getState().fillEdit(axis, v);
        return;
      }
      path = v ? [v] : [];
      canvas.setPointerCapture(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      const v = path && toVoxel(e);
      if (v) path!.push(v);
    };
    const up = (e: PointerEvent) => {
      if (!path) return;
      const v = toVoxel(e);
      const points = v ? [...path, v] : path;
      path = null;
      // All points lie in the slice of the press (niivue keeps the slice while dragging).
      if (points.length > 0) useAttune.getState().strokeEdit(axis, points);
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    return () => {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
    };
  }, [axis, template]);

  return (
    <div className="pane edit__pane">
      <div className="pane__header">
        <div className="segmented" role="radiogroup" aria-label="Edit plane">
          {PLANES.map((p) => (
            <button key={p.plane} type="button" role="radio" aria-checked={plane === p.plane} className={plane === p.plane ? 'active' : undefined} onClick={() => setPlane(p.plane)}>
              {p.name}
            </button>
          ))}
        </div>
        <span className="muted">Drag to paint · scroll for the next slice</span>
      </div>
      <div className="pane__canvas pane__canvas--edit" data-testid="edit-view" data-state={state} data-crosshair={crosshair} data-axis={axis}>
        <canvas ref={canvasRef} />
        {state === 'loading' && <p className="viewer__placeholder viewer__placeholder--soft">Loading…</p>}
        {failure && <p className="viewer__placeholder error-text" role="alert">{failure}</p>}
      </div>
    </div>
  );
}
