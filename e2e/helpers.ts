import type { Page } from '@playwright/test';
import type { InputFile } from '../src/core/index.ts';

/** Drops files on the drop zone the way a browser does: a DataTransfer holding Files. */
export async function dropFiles(page: Page, files: InputFile[]): Promise<void> {
  const payload = files.map((f) => ({
    name: f.name,
    b64: Buffer.from(f.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(f.bytes)).toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const binary = atob(item.b64);
      const bytes = new Uint8Array(binary.length);
      for (let n = 0; n < binary.length; n++) bytes[n] = binary.charCodeAt(n);
      dt.items.add(new File([bytes], item.name));
    }
    return dt;
  }, payload);
  await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer });
  // Playwright would otherwise keep the DataTransfer (and its Files) alive in the page.
  await dataTransfer.dispose();
}

export interface CanvasPixels {
  width: number;
  height: number;
  /** Fraction of pixels clearly brighter than the viewer background. */
  litFraction: number;
  /** Pixels whose hue matches each overlay colour (NCR red, ED green, ET yellow) blended on grey. */
  red: number;
  green: number;
  yellow: number;
  /** Mean luminance on a coarse 16×8 grid, to tell two pictures apart. */
  signature: number[];
}

/**
 * What the viewer shows, read from a screenshot of its canvas (what a person sees,
 * independent of WebGL's drawing-buffer rules), decoded in the page.
 */
export async function readCanvasPixels(page: Page, canvas = '[data-testid=viewer] canvas'): Promise<CanvasPixels> {
  const png = await page.locator(canvas).screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, img.width, img.height);
    let lit = 0, red = 0, green = 0, yellow = 0;
    const cols = 16, rows = 8;
    const sums = new Array(cols * rows).fill(0);
    const counts = new Array(cols * rows).fill(0);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = 4 * (y * width + x);
        const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
        const lum = 0.299 * r + 0.587 * g + 0.114 * b;
        if (lum > 40) lit++;
        if (r > g + 60 && r > b + 60) red++;
        else if (g > r + 50 && g > b + 50) green++;
        else if (r > b + 70 && g > b + 70 && Math.abs(r - g) < 70) yellow++;
        const cell = Math.floor((y * rows) / height) * cols + Math.floor((x * cols) / width);
        sums[cell] += lum;
        counts[cell]++;
      }
    }
    return {
      width,
      height,
      litFraction: lit / (width * height),
      red,
      green,
      yellow,
      signature: sums.map((s, n) => s / Math.max(1, counts[n])),
    };
  }, png.toString('base64'));
}

export function signatureDistance(a: number[], b: number[]): number {
  return a.reduce((acc, v, n) => acc + Math.abs(v - b[n]), 0) / a.length;
}
