import { MULTIPLANAR_TYPE, NVImage, Niivue, SHOW_RENDER } from '@niivue/niivue';
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
