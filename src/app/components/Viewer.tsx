import { NVImage, Niivue, SLICE_TYPE } from '@niivue/niivue';
import { useEffect, useRef, useState } from 'react';
import { ROLE_LABELS, labelCentroid, physicalNifti, voxelToWorld } from '../../core/index.ts';
import { LABEL_OPACITY, labelColormap } from '../labelColours.ts';
import { newNiivue, showRender, toBuffer } from '../niivue.ts';
import { useAttune } from '../store.ts';
import { LabelLegend } from './LabelLegend.tsx';
import { LabelToggles } from './LabelToggles.tsx';
import { ModalitySwitcher } from './ModalitySwitcher.tsx';

type ViewerState = 'empty' | 'loading' | 'ready' | 'failed';

/**
 * niivue showing the chosen modality with the label map on top. niivue is given the
 * volumes Attune validated (re-encoded by core), never the raw drop, so the picture
 * is exactly what was checked. `data-state` lets tests wait for a finished draw.
 */
export function Viewer() {
  const mriCase = useAttune((s) => s.check.mriCase);
  const modality = useAttune((s) => s.viewModality);
  const showLabels = useAttune((s) => s.showLabels);
  const hiddenLabels = useAttune((s) => s.hiddenLabels);
  const [view, setView] = useState<'planes' | '3d'>('planes');
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const nvRef = useRef<Promise<Niivue> | null>(null);
  const loadSeq = useRef(0);
  const [state, setState] = useState<ViewerState>('empty');
  const [failure, setFailure] = useState<string | null>(null);

  // One niivue per canvas for the page's lifetime (attaching twice breaks its GL state).
  // Declared before the loading effect so that effect always finds it.
  useEffect(() => {
    if (nvRef.current || !canvasRef.current) return;
    const nv = newNiivue();
    nvRef.current = nv.attachToCanvas(canvasRef.current).then(() => {
      nv.setSliceType(SLICE_TYPE.MULTIPLANAR);
      return nv;
    });
  }, []);

  useEffect(() => {
    const seq = ++loadSeq.current;
    if (!mriCase) {
      setState('empty');
      void nvRef.current?.then((nv) => {
        if (seq === loadSeq.current && nv.volumes.length > 0) void nv.loadVolumes([]);
      });
      return;
    }
    setState('loading');
    setFailure(null);
    const scan = mriCase.modalities[modality];
    (async () => {
      const nv = await nvRef.current!;
      // ignoreZeroVoxels: skull-stripped scans are mostly 0, which would skew the window.
      const scanImage = await NVImage.loadFromUrl({
        url: toBuffer(physicalNifti(scan)),
        name: `${modality}.nii`,
        colormap: 'gray',
        ignoreZeroVoxels: true,
      });
      const labelImage = mriCase.label
        ? await NVImage.loadFromUrl({ url: toBuffer(physicalNifti(mriCase.label)), name: 'labels.nii', opacity: LABEL_OPACITY })
        : null;
      if (seq !== loadSeq.current) return; // superseded by a newer case or modality
      for (const old of [...nv.volumes]) nv.removeVolume(old);
      nv.addVolume(scanImage);
      if (labelImage) {
        labelImage.setColormapLabel(labelColormap(useAttune.getState().hiddenLabels));
        nv.addVolume(labelImage);
        nv.setOpacity(1, useAttune.getState().showLabels ? LABEL_OPACITY : 0);
      }
      nv.updateGLVolume();
      // Centre the three planes on the tumour when there is a label map.
      const centre = mriCase.label ? labelCentroid(mriCase.label.data, mriCase.label.dims) : null;
      if (centre) {
        // Through world mm: niivue reorients volumes internally, so file voxel indices
        // are not its voxel indices unless the file happens to be RAS.
        const [x, y, z] = voxelToWorld(mriCase.label!.affine, centre);
        nv.scene.crosshairPos = nv.mm2frac([x, y, z]);
        nv.drawScene();
      }
      setState('ready');
    })().catch((err: Error) => {
      if (seq !== loadSeq.current) return;
      setFailure(`The viewer could not show ${scan.name}: ${err.message}`);
      setState('failed');
    });
  }, [mriCase, modality]);

  useEffect(() => {
    void nvRef.current?.then((nv) => {
      if (nv.volumes.length > 1) {
        nv.setOpacity(1, showLabels ? LABEL_OPACITY : 0);
        nv.drawScene();
      }
    });
  }, [showLabels]);

  useEffect(() => {
    void nvRef.current?.then((nv) => {
      if (nv.volumes.length < 2) return;
      nv.volumes[1].setColormapLabel(labelColormap(hiddenLabels));
      nv.updateGLVolume();
    });
  }, [hiddenLabels]);

  useEffect(() => {
    void nvRef.current?.then((nv) => {
      if (view === '3d') showRender(nv, true);
      else nv.setSliceType(SLICE_TYPE.MULTIPLANAR);
      nv.drawScene();
    });
  }, [view]);

  const labelsState = !mriCase?.label ? 'none' : showLabels ? 'on' : 'off';
  return (
    <section className="viewer" aria-label="Viewer">
      <div className="viewer__toolbar">
        <ModalitySwitcher />
        <div className="segmented" role="radiogroup" aria-label="Viewer shows">
          {(['planes', '3d'] as const).map((v) => (
            <button key={v} type="button" role="radio" aria-checked={view === v} className={view === v ? 'active' : undefined} onClick={() => setView(v)}>
              {v === 'planes' ? '3 planes' : '3D'}
            </button>
          ))}
        </div>
        {mriCase?.label && <LabelToggles />}
        <span className="muted">{mriCase ? `${ROLE_LABELS[modality]} · ${mriCase.modalities[modality].name}` : ''}</span>
      </div>
      <div
        className="viewer__canvas"
        data-testid="viewer"
        data-state={state}
        data-modality={modality}
        data-labels={labelsState}
        data-view={view}
      >
        <canvas ref={canvasRef} />
        {state === 'empty' && <p className="viewer__placeholder">Drop a case (or try a demo case) to view it here.</p>}
        {state === 'ready' && view === '3d' && <p className="viewer__hint muted">Drag to rotate · scroll to zoom</p>}
        {state === 'loading' && <p className="viewer__placeholder viewer__placeholder--soft">Loading…</p>}
        {failure && <p className="viewer__placeholder error-text" role="alert">{failure}</p>}
      </div>
      {mriCase && <LabelLegend />}
    </section>
  );
}
