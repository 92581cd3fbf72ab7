import { allDice } from '../src/core/metrics/dice.ts';
import { fillRegion, applyChange, type Axis } from '../src/core/edit/index.ts';
import { makeSyntheticCase, MODALITIES, physicalValues, readNifti, voxelVolumeMl, worldToVoxel, type NiftiVolume } from '../src/core/index.ts';
import { maskChanges } from '../src/core/results/index.ts';
import { formatMl } from '../src/app/labelColours.ts';
import { chooseMode, download, expect, openWithTinyModel, test } from './fixtures.ts';
import type { Locator, Page } from '@playwright/test';

/**
 * Correcting a mask (issue 13): mouse strokes on the edit view change the expected voxels of
 * the edited result, read back from its exported NIfTI with core's reader; erase and undo
 * restore them; volumes, Dice and the changed-voxels view follow. Tiny model, phantom case.
 */
const synthetic = makeSyntheticCase({ seed: 2 });
const syntheticFiles = [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg];

async function exported(page: Page, id: string): Promise<NiftiVolume> {
  const file = await download(page, id);
  return readNifti(file.bytes, file.name);
}

/** The voxel niivue put its crosshair on (it follows the pointer), via core's inverse affine. */
async function crosshairVoxel(view: Locator, affine: number[][]): Promise<[number, number, number]> {
  const mm = (await view.getAttribute('data-crosshair'))!.split(',').map(Number) as [number, number, number];
  return worldToVoxel(affine, mm).map(Math.round) as [number, number, number];
}

const changedIndices = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const out: number[] = [];
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) out.push(n);
  return out;
};

test('edit: paint, erase, undo/redo and fill change exactly the expected voxels; volumes, Dice and changes follow', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await openWithTinyModel(page, { files: syntheticFiles });
  await expect(page.getByTestId('case-ready')).toBeVisible();
  await chooseMode(page, 'bn', { iterations: 2, statsSlices: 4 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  const t1 = await readNifti(synthetic.files.t1.bytes, synthetic.files.t1.name);
  const [X, Y] = t1.dims;
  const voxelMl = voxelVolumeMl(t1);
  const reference = physicalValues(await readNifti(synthetic.files.seg.bytes, 'seg.nii.gz'));
  const bn = (await exported(page, 'export-bn')).data as Uint8Array;

  await page.getByLabel('Edit starts from').selectOption('bn');
  await page.getByTestId('edit-start').click();
  await expect(page.getByTestId('edit-from')).toHaveText('Edited from: Adapted: BN');
  const view = page.getByTestId('edit-view');
  await expect(view).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const axis = Number(await view.getAttribute('data-axis')) as Axis;
  expect(axis, 'an axial view of a RAS grid holds k fixed').toBe(2);
  // Unedited, the copy is the BN mask.
  expect(Array.from((await exported(page, 'export-edited')).data)).toEqual(Array.from(bn));

  // 1. One click with the ED brush, radius 2: a disc around the clicked voxel in its slice.
  await page.getByRole('radio', { name: /^ED/ }).click();
  await expect(page.getByTestId('edit-radius')).toHaveText('2 vx');
  const canvas = view.locator('canvas');
  // Wholly on screen before every pointer action (the export buttons scroll the page, and
  // niivue focuses its canvas on a press: the browser would scroll a partly hidden one).
  let box = (await canvas.boundingBox())!;
  const onScreen = async () => {
    await canvas.scrollIntoViewIfNeeded();
    box = (await canvas.boundingBox())!;
  };
  const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
  await onScreen();
  const p1 = at(0.5, 0.45);
  await page.mouse.click(p1.x, p1.y);
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '1');
  const c1 = await crosshairVoxel(view, t1.affine);
  const afterClick = (await exported(page, 'export-edited')).data as Uint8Array;
  const clicked = changedIndices(bn, afterClick);
  expect(clicked.length).toBeGreaterThan(0);
  for (const n of clicked) {
    const [i, j, k] = [n % X, Math.floor(n / X) % Y, Math.floor(n / (X * Y))];
    expect(k, 'painted in the clicked slice only').toBe(c1[2]);
    expect(Math.hypot(i - c1[0], j - c1[1]), 'within the brush radius of the click').toBeLessThanOrEqual(2 + 1);
    expect(afterClick[n]).toBe(2);
  }
  // Every non-ED voxel within radius 1 of the click was painted (the rest of the disc depends on sub-voxel position).
  for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
    if (Math.abs(di) + Math.abs(dj) > 1) continue;
    expect(afterClick[c1[0] + di + X * (c1[1] + dj + Y * c1[2])]).toBe(2);
  }
  // The shown volume changes by the painted amount, in the panel and in the results table.
  const edVoxels = (m: ArrayLike<number>) => Array.from(m).filter((v) => v === 2).length;
  expect(edVoxels(afterClick)).toBe(edVoxels(bn) + clicked.length);
  await expect(page.getByTestId('edit-ml-ED')).toHaveAttribute('data-voxels', String(edVoxels(afterClick)));
  await expect(page.getByTestId('edit-ml-ED')).toContainText(formatMl(edVoxels(afterClick) * voxelMl));
  await expect(page.getByTestId('row-edited').getByTestId('ml-ED')).toHaveText(formatMl(edVoxels(afterClick) * voxelMl));
  await expect(page.getByTestId('row-bn').getByTestId('ml-ED')).toHaveText(formatMl(edVoxels(bn) * voxelMl));
  await expect(page.getByTestId('row-edited')).toContainText('Edited from: Adapted: BN');

  // 2. A drag with the ET brush (key 3; the tiny model's masks hold no ET): one stroke, one undo step, one slice, no gaps.
  await page.keyboard.press('3');
  await onScreen();
  const [a, b] = [at(0.35, 0.3), at(0.62, 0.7)];
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  for (let s = 1; s <= 8; s++) await page.mouse.move(a.x + ((b.x - a.x) * s) / 8, a.y + ((b.y - a.y) * s) / 8);
  await page.mouse.up();
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '2');
  const afterDrag = (await exported(page, 'export-edited')).data as Uint8Array;
  const dragged = changedIndices(afterClick, afterDrag);
  const cEnd = await crosshairVoxel(view, t1.affine);
  expect(dragged.length).toBeGreaterThan(clicked.length);
  for (const n of dragged) {
    expect(Math.floor(n / (X * Y))).toBe(c1[2]);
    expect(afterDrag[n]).toBe(4);
  }
  expect(afterDrag[cEnd[0] + X * (cEnd[1] + Y * cEnd[2])], 'the stroke reaches the release point').toBe(4);

  // 3. Erase the same path (key E): the stroke's voxels become background.
  await page.keyboard.press('e');
  await expect(page.getByRole('radio', { name: /^Eraser/ })).toHaveAttribute('aria-checked', 'true');
  await onScreen();
  expect(at(0.35, 0.3)).toEqual(a);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  for (let s = 1; s <= 8; s++) await page.mouse.move(a.x + ((b.x - a.x) * s) / 8, a.y + ((b.y - a.y) * s) / 8);
  await page.mouse.up();
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '3');
  const afterErase = (await exported(page, 'export-edited')).data as Uint8Array;
  for (const n of dragged) expect(afterErase[n]).toBe(0);

  // 4. Undo (button and Ctrl+Z) back to the BN mask, step by step; redo forwards again.
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '2');
  expect(Array.from((await exported(page, 'export-edited')).data)).toEqual(Array.from(afterDrag));
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '1');
  expect(Array.from((await exported(page, 'export-edited')).data)).toEqual(Array.from(afterClick));
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '0');
  expect(Array.from((await exported(page, 'export-edited')).data)).toEqual(Array.from(bn));
  await page.keyboard.press('Control+Shift+z');
  await page.getByTestId('edit-redo').click();
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '2');
  expect(Array.from((await exported(page, 'export-edited')).data)).toEqual(Array.from(afterDrag));
  // The BN result itself never changed.
  expect(Array.from((await exported(page, 'export-bn')).data)).toEqual(Array.from(bn));

  // Dice of the edited mask against the expert label, as core computes it; changed voxels vs BN.
  const dice = allDice(afterDrag, reference);
  await expect(page.getByTestId('row-edited').getByTestId('dice-WT')).toHaveText(dice.WT === null ? 'n/a' : dice.WT.toFixed(3));
  await page.getByLabel('Left view shows').selectOption('bn');
  await page.getByLabel('Right view shows').selectOption('edited');
  await page.getByRole('checkbox', { name: 'Changed voxels' }).check();
  const counts = maskChanges(bn, afterDrag).counts;
  for (const k of ['gained', 'lost', 'relabelled'] as const) await expect(page.getByTestId(`changes-${k}`)).toHaveAttribute('data-voxels', String(counts[k]));
  await expect(page.getByTestId('pane-right')).toHaveAttribute('data-state', 'ready');
  await view.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('edit.png'), fullPage: true });

  // 5. Fill, on a copy of the expert label: a click on edema with the NCR fill relabels exactly
  //    its connected region in the slice (same for any seed in it); the open background is refused.
  await page.getByLabel('Edit starts from').selectOption('label');
  await page.getByTestId('edit-start').click();
  await expect(page.getByTestId('edit-from')).toHaveText('Edited from: Expert label');
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '0');
  const label = Uint8Array.from(reference);
  // Canvas ↔ voxel from two known points (p1 and the drag's end): niivue's axial view is axis-aligned.
  // (Positions as fractions of the canvas: the page may have scrolled since.)
  const sx = (cEnd[0] - c1[0]) / (box.width * (0.62 - 0.5)), sy = (cEnd[1] - c1[1]) / (box.height * (0.7 - 0.45));
  const toCanvas = (i: number, j: number) => ({ x: box.x + box.width * 0.5 + (i - c1[0]) / sx, y: box.y + box.height * 0.45 + (j - c1[1]) / sy });
  const k = c1[2];
  await onScreen();
  let seed: [number, number, number] | null = null;
  for (let j = 2; j < Y - 2 && !seed; j++) for (let i = 2; i < X - 2 && !seed; i++) {
    // A seed whose 3×3 neighbourhood is all edema: sub-voxel rounding cannot leave the region.
    let inside = true;
    for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) inside &&= label[i + di + X * (j + dj + Y * k)] === 2;
    if (inside && fillRegion(label, t1.dims, 2, [i, j, k], 1).change) seed = [i, j, k];
  }
  expect(seed, 'the phantom has closed edema in this slice').not.toBeNull();
  await page.getByRole('radio', { name: /^NCR/ }).click();
  await page.keyboard.press('f');
  const target = toCanvas(seed![0], seed![1]);
  await page.mouse.click(target.x, target.y);
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '1');
  const expected = fillRegion(label, t1.dims, 2, seed!, 1);
  expect(Array.from((await exported(page, 'export-edited')).data)).toEqual(Array.from(applyChange(label, expected.change!)));
  await onScreen();
  // Background near the slice's corner (the voxel size is estimated from two rounded clicks, so not the edge itself).
  const corner = toCanvas(4, 4);
  await page.mouse.click(corner.x, corner.y);
  await expect(page.getByTestId('edit-message')).toContainText('not closed');
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '1');
  await view.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('edit-fill.png') });

  // 6. Another plane: in the coronal view a click paints in one coronal slice (voxel axis j here).
  const beforeCoronal = (await exported(page, 'export-edited')).data as Uint8Array;
  await page.getByRole('radiogroup', { name: 'Edit plane' }).getByRole('radio', { name: 'Coronal' }).click();
  await expect(view).toHaveAttribute('data-axis', '1');
  await page.keyboard.press('b');
  await page.keyboard.press('3');
  await onScreen();
  const pc = at(0.5, 0.5);
  await page.mouse.click(pc.x, pc.y);
  await expect(page.getByTestId('edit-steps')).toHaveAttribute('data-done', '2');
  const cc = await crosshairVoxel(view, t1.affine);
  const coronal = changedIndices(beforeCoronal, (await exported(page, 'export-edited')).data);
  expect(coronal.length).toBeGreaterThan(0);
  for (const n of coronal) expect(Math.floor(n / X) % Y, 'painted in the clicked coronal slice').toBe(cc[1]);
  expect(new Set(coronal.map((n) => Math.floor(n / (X * Y)))).size, 'across several axial slices').toBeGreaterThan(1);
});
