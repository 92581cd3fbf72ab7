import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * One JSON run record per file, shared by the report, the evaluation and the preset checks:
 * their folders are resumable caches that several `--shard` processes fill at once.
 */

/** The record at `path`, or null when it is absent or unreadable (= not run yet: run it again). */
export async function readJsonRecord<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * Writes atomically: a process-private temporary file renamed over `path`, so a reader (another
 * shard, a resumed run) never sees half a record. `significantDigits` rounds every non-integer
 * number, which keeps committed records small and their diffs readable.
 */
export async function writeJsonRecord(path: string, record: unknown, o: { significantDigits?: number } = {}): Promise<void> {
  const digits = o.significantDigits;
  const replacer = digits === undefined ? undefined : (_k: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(digits)) : v);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(record, replacer, 1) + '\n');
  await rename(tmp, path);
}
