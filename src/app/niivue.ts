import { MULTIPLANAR_TYPE, NVImage, Niivue, SHOW_RENDER, SLICE_TYPE } from '@niivue/niivue';
import { physicalNifti, writeNifti, type NiftiVolume } from '../core/index.ts';

/** niivue as every Attune view uses it (dark background, thin blue-grey crosshair). */
export function newNiivue(): Niivue {
  return new Niivue({
    backColor: [0.06, 0.07, 0.09, 1],
    // Thin, blue-grey: visible on grey scans and never mistaken for a label colour.
    crosshairColor: [0.55, 0.65, 0.8, 1],
    // 1 mm: thinner lines fall between screen pixels at some positions and vanish.
    crosshairWidthUnit: 'mm',
    crosshairWidth: 1,
    isColorbar: false,
    dragAndDropEnabled: false,
    multiplanarLayout: MULTIPLANAR_TYPE.ROW,
    multiplanarShowRender: SHOW_RENDER.NEVER,
    loadingText: '',
    logLevel: 'error',
  });
}

/**
 * Frees a niivue whose canvas is going away: its window/resize listeners (which keep the
 * whole instance alive), its volumes and its WebGL context. Without this every results
 * view left one WebGL2 context and its textures behind — Chromium allows 16 live contexts
 * and then drops the oldest — and the page heap grew ~0.2 MiB per case (found by
 * e2e/longSession.spec.ts).
 */
export function releaseNiivue(nv: Niivue): void {
  nv.cleanup();
  for (const v of [...nv.volumes]) nv.removeVolume(v);
  nv.gl?.getExtension('WEBGL_lose_context')?.loseContext();
}

/**
 * How every Attune 3D view starts: seen from the front-left and above, cut open through the
 * centre so the tumour inside the brain is visible, not just the brain's surface.
 */
export function showRender(nv: Niivue, on: boolean): void {
  nv.setSliceType(on ? SLICE_TYPE.RENDER : nv.opts.sliceType === SLICE_TYPE.RENDER ? SLICE_TYPE.MULTIPLANAR : nv.opts.sliceType);
  if (!on) return;
  nv.setRenderAzimuthElevation(120, 25);
  // Transparent where the cut meets empty space (niivue paints the plane otherwise).
  nv.setClipPlaneColor([0, 0, 0, 0]);
  nv.setClipPlane([0, 180, 30]);
}

/** The crosshair's world position as the panes' `data-crosshair` text ("x,y,z" in mm, 0.1 mm), or null. */
export function crosshairText(location: unknown): string | null {
  const mm = (location as { mm?: ArrayLike<number> }).mm;
  return mm ? Array.from(mm).slice(0, 3).map((v) => v.toFixed(1)).join(',') : null;
}

/** The bytes as niivue's `url` wants them: their own ArrayBuffer (a view into a larger buffer is copied). */
export function toBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

/** The scan as validated (physical values), grey, zeros ignored for windowing. */
export function loadScanImage(scan: NiftiVolume, name: string): Promise<NVImage> {
  // ignoreZeroVoxels: skull-stripped scans are mostly 0, which would skew the window.
  return NVImage.loadFromUrl({ url: toBuffer(physicalNifti(scan)), name: `${name}.nii`, colormap: 'gray', ignoreZeroVoxels: true });
}

/** A label-valued overlay on the scan's grid (the scan's own header, so it aligns). */
export async function loadLabelImage(
  template: NiftiVolume,
  labels: Uint8Array,
  colormap: { R: number[]; G: number[]; B: number[]; A: number[]; I: number[]; labels: string[] },
  name: string,
  opacity: number,
): Promise<NVImage> {
  const bytes = writeNifti(template, labels, { gzip: false, intentCode: 1002 });
  const image = await NVImage.loadFromUrl({ url: toBuffer(bytes), name: `${name}.nii`, opacity });
  image.setColormapLabel(colormap);
  return image;
}

/**
 * Shows a label map in niivue's own drawing layer (the layer its draw tools use), on the
 * scan's grid: niivue reorients it like the scan. The labels stay Attune's; niivue only
 * displays them (its colours: `setDrawColormap` with the label colour map).
 */
export async function showInDrawingLayer(nv: Niivue, template: NiftiVolume, labels: Uint8Array): Promise<void> {
  const bytes = writeNifti(template, labels, { gzip: false, intentCode: 1002 });
  const image = await NVImage.loadFromUrl({ url: toBuffer(bytes), name: 'edited.nii' });
  nv.loadDrawing(image);
}

/**
 * The world position (mm) under a pointer event on niivue's canvas, or null off the slice.
 * niivue works in device pixels of its canvas; the event gives CSS pixels.
 */
export function pointerToMm(nv: Niivue, canvas: HTMLCanvasElement, e: { clientX: number; clientY: number }): [number, number, number] | null {
  const rect = canvas.getBoundingClientRect();
  const x = ((e.clientX - rect.left) * canvas.width) / rect.width;
  const y = ((e.clientY - rect.top) * canvas.height) / rect.height;
  const frac = nv.canvasPos2frac([x, y]);
  if (frac[0] < 0) return null;
  const mm = nv.frac2mm(frac);
  return [mm[0], mm[1], mm[2]];
}

export interface ViewPicture {
  name: string;
  /** PNG data URL. */
  url: string;
}

/**
 * Pictures of a mask on its scan for the summary page: axial, coronal and sagittal through
 * `focusMm` (the tumour's centre) and the 3D view. One short-lived niivue on an off-screen
 * canvas; each picture is read right after its draw (WebGL keeps the buffer until then).
 */
export async function captureViews(
  scan: NiftiVolume,
  labels: Uint8Array,
  colormap: Parameters<typeof loadLabelImage>[2],
  focusMm: [number, number, number],
  size = 420,
): Promise<ViewPicture[]> {
  // niivue sizes its canvas to the parent: a square, off-screen parent makes square pictures.
  const holder = document.createElement('div');
  holder.style.cssText = `position:fixed;left:-10000px;top:0;width:${size}px;height:${size}px`;
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'width:100%;height:100%;display:block';
  holder.appendChild(canvas);
  document.body.appendChild(holder);
  const nv = newNiivue();
  try {
    await nv.attachToCanvas(canvas);
    nv.addVolume(await loadScanImage(scan, 'scan'));
    nv.addVolume(await loadLabelImage(scan, labels, colormap, 'labels', LABEL_OPACITY_FOR_PICTURES));
    nv.updateGLVolume();
    nv.scene.crosshairPos = nv.mm2frac(focusMm);
    const views: [string, SLICE_TYPE][] = [['Axial', SLICE_TYPE.AXIAL], ['Coronal', SLICE_TYPE.CORONAL], ['Sagittal', SLICE_TYPE.SAGITTAL], ['3D', SLICE_TYPE.RENDER]];
    const pictures: ViewPicture[] = [];
    for (const [name, type] of views) {
      if (type === SLICE_TYPE.RENDER) showRender(nv, true);
      else nv.setSliceType(type);
      nv.drawScene();
      pictures.push({ name, url: canvas.toDataURL('image/png') });
    }
    return pictures;
  } finally {
    releaseNiivue(nv);
    holder.remove();
  }
}

/** Labels a little stronger on paper than on screen (print washes out translucent colour). */
const LABEL_OPACITY_FOR_PICTURES = 0.7;
