import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Grid } from '../registration/index.ts';
import { rotationX } from '../registration/index.ts';
import type { MeshnetModel } from './meshnetModel.ts';
import { DEFAULT_MAX_CHUNK_BYTES } from './runMeshnet.ts';
import { headBoxBound, stripWorkingBytes } from './stripMemory.ts';

/** MindGrab's shape (what the estimate reads of a model): 1 input channel, 15-channel layers. */
const mindgrabShaped = { inChannels: 1, convs: Array.from({ length: 25 }, () => ({ cout: 15 })) } as unknown as MeshnetModel;
const axial = (dims: [number, number, number], mm: [number, number, number]): Grid => ({ dims, affine: [[mm[0], 0, 0, 0], [0, mm[1], 0, 0], [0, 0, mm[2], 0], [0, 0, 0, 1]] });

describe('the skull strip memory estimate', () => {
  it('bounds the head box by the field of view plus the padding per world axis, and by the 256³ cube', () => {
    expect(headBoxBound(axial([100, 80, 40], [1, 1, 2]))).toBe((100 + 41) * (80 + 41) * (80 + 41));
    expect(headBoxBound(axial([512, 512, 300], [1, 1, 1]))).toBe(256 ** 3);
    // An oblique grid's field of view spans more of each world axis than its edges.
    const tilted: Grid = { dims: [100, 100, 40], affine: rotationX(Math.PI / 6) };
    expect(headBoxBound(tilted)).toBeGreaterThan(headBoxBound(axial([100, 100, 40], [1, 1, 1])));
  });

  it('covers what the committed FG-6692 strip measured: its box and its peak of array buffers', () => {
    // bench/skullStrip.ts's record of MindGrab on FG-6692's T1Gd (wasm, Node).
    const record = JSON.parse(readFileSync(new URL('../../../bench/runs/skullStrip/fg6692-t1c.json', import.meta.url), 'utf8'));
    const grid = axial(record.dims, record.spacingMm);
    expect(headBoxBound(grid)).toBeGreaterThanOrEqual(record.boxVoxels);
    const bytes = stripWorkingBytes(mindgrabShaped, grid);
    expect(bytes).toBeGreaterThanOrEqual(record.memoryMiB.arrayBuffersPeak * 2 ** 20);
    // …and is an estimate, not a blanket: within 2× of it.
    expect(bytes).toBeLessThan(2 * record.memoryMiB.arrayBuffersPeak * 2 ** 20);
    expect(bytes).toBeGreaterThan(DEFAULT_MAX_CHUNK_BYTES);
  });
});
