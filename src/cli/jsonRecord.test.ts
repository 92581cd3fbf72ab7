import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonRecord, writeJsonRecord } from './jsonRecord.ts';

describe('JSON run records', () => {
  it('writes atomically (no temporary file left) and reads back; rounding only when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-record-'));
    await writeJsonRecord(join(dir, 'a.json'), { x: 0.123456789, n: 3 }, { significantDigits: 6 });
    await writeJsonRecord(join(dir, 'b.json'), { x: 0.123456789 });
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json']);
    expect(await readJsonRecord(join(dir, 'a.json'))).toEqual({ x: 0.123457, n: 3 });
    expect(await readJsonRecord(join(dir, 'b.json'))).toEqual({ x: 0.123456789 });
    expect(readFileSync(join(dir, 'a.json'), 'utf8').endsWith('}\n')).toBe(true);
  });

  it('an absent or truncated record reads as not run (null)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-record-'));
    writeFileSync(join(dir, 'half.json'), '{"x": 0.1');
    expect(await readJsonRecord(join(dir, 'missing.json'))).toBeNull();
    expect(await readJsonRecord(join(dir, 'half.json'))).toBeNull();
  });
});
