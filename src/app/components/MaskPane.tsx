import { SLICE_TYPE, type Niivue } from '@niivue/niivue';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { NiftiVolume } from '../../core/index.ts';
import { LABEL_OPACITY } from '../labelColours.ts';
import { crosshairText, loadLabelImage, loadScanImage, newNiivue, releaseNiivue, showRender } from '../niivue.ts';

/** A slice type, or the 3D render with Attune's starting view (niivue.ts `showRender`). */
function setView(nv: Niivue, sliceType: SLICE_TYPE) {
  if (sliceType === SLICE_TYPE.RENDER) showRender(nv, true);
  else nv.setSliceType(sliceType);
}

export interface PaneOverlay {
  data: Uint8Array;
  kind: 'labels' | 'changes';
  colormap: Parameters<typeof loadLabelImage>[2];
}

interface Props {
  testId: string;
  scan: NiftiVolume;
  scanName: string;
  overlay: PaneOverlay | null;
  /** World position (mm) to put the crosshair on when `focusKey` changes (e.g. the tumour). */
  focusMm: [number, number, number] | null;
  focusKey: unknown;
  sliceType: SLICE_TYPE;
  /** Hands the pane's niivue to the parent (to link panes), null on unmount. */
  register: (nv: Niivue | null) => void;
  children?: ReactNode;
}

type PaneState = 'loading' | 'ready' | 'failed';

/**
 * One niivue view of a scan with a label-valued overlay (a mask or the changed voxels).
 * `data-crosshair` (world mm) and `data-zoom` follow niivue whenever it moves — also when a
 * linked pane moves it — so tests can see that the panes agree.
 */
export function MaskPane({ testId, scan, scanName, overlay, focusMm, focusKey, sliceType, register, children }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const nvRef = useRef<Promise<Niivue> | null>(null);
  const loadSeq = useRef(0);
  const focusedFor = useRef<unknown>(undefined);
  const [state, setState] = useState<PaneState>('loading');
  const [failure, setFailure] = useState<string | null>(null);
  const [crosshair, setCrosshair] = useState('');
  const [zoom, setZoom] = useState('1.00');

  useEffect(() => {
    if (nvRef.current || !canvasRef.current) return;
    const nv = newNiivue();
    nv.onLocationChange = (loc) => {
      const text = crosshairText(loc);
      if (text) setCrosshair(text);
      setZoom(nv.scene.pan2Dxyzmm[3].toFixed(2));
    };
    nvRef.current = nv.attachToCanvas(canvasRef.current).then(() => {
      setView(nv, sliceType);
      register(nv);
      return nv;
    });
    const attached = nvRef.current;
    return () => {
      register(null);
      loadSeq.current++; // a load still in flight must not draw into the released view
      void attached.then(releaseNiivue);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- niivue attaches once per canvas
  }, []);

  useEffect(() => {
    void nvRef.current?.then((nv) => {
      setView(nv, sliceType);
      nv.drawScene();
    });
  }, [sliceType]);

  useEffect(() => {
    const seq = ++loadSeq.current;
    setState('loading');
    setFailure(null);
    (async () => {
      const nv = await nvRef.current!;
      const scanImage = await loadScanImage(scan, scanName);
      const overlayImage = overlay ? await loadLabelImage(scan, overlay.data, overlay.colormap, overlay.kind, overlay.kind === 'changes' ? 0.9 : LABEL_OPACITY) : null;
      if (seq !== loadSeq.current) return;
      const keep = nv.volumes.length > 0 ? Array.from(nv.scene.crosshairPos) : null;
      for (const old of [...nv.volumes]) nv.removeVolume(old);
      nv.addVolume(scanImage);
      if (overlayImage) nv.addVolume(overlayImage);
      nv.updateGLVolume();
      if (focusedFor.current !== focusKey && focusMm) {
        focusedFor.current = focusKey;
        nv.scene.crosshairPos = nv.mm2frac(focusMm);
      } else if (keep) {
        nv.scene.crosshairPos = keep as typeof nv.scene.crosshairPos;
      }
      nv.drawScene();
      nv.createOnLocationChange();
      setState('ready');
    })().catch((err: Error) => {
      if (seq !== loadSeq.current) return;
      setFailure(`This view could not be drawn: ${err.message}`);
      setState('failed');
    });
  }, [scan, scanName, overlay, focusMm, focusKey]);

  return (
    <div className="pane">
      {children}
      <div className="pane__canvas" data-testid={testId} data-state={state} data-slice-type={sliceType === SLICE_TYPE.RENDER ? 'render' : 'slices'} data-overlay={overlay?.kind ?? 'none'} data-crosshair={crosshair} data-zoom={zoom}>
        <canvas ref={canvasRef} />
        {state === 'loading' && <p className="viewer__placeholder viewer__placeholder--soft">Loading…</p>}
        {failure && <p className="viewer__placeholder error-text" role="alert">{failure}</p>}
      </div>
    </div>
  );
}
