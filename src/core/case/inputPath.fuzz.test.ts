import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_CASE, DEMO_CASE_DIR } from '../../node/demoCase.ts';
import { InputError } from '../inputIssue.ts';
import { TRAINED_SPACING_MM, SPACING_TOLERANCE } from '../validation/checkPreprocessing.ts';
import { fuzzBases, fuzzCaseArbitrary, fuzzFiles, realHeaderOf, type FuzzCase } from '../testing/niftiFuzz.ts';
import { readNifti, type NiftiVolume } from '../volume/index.ts';
import { loadCase } from './loadCase.ts';

/**
 * Property-based fuzzing of the input path (readNifti → loadCase/validateCase): a valid
 * four-scan case, one file damaged — header fields set to odd values (dim, datatype/bitpix,
 * vox_offset, scaling, qform/sform codes and matrices, magic, in NIfTI-1 and NIfTI-2, in
 * either byte order), byte flips, truncation, trailing garbage, then gzip with a truncated,
 * flipped or wrong-trailer stream. Every input must either load as a volume that passes
 * validation or be refused with an InputError naming the file — never another exception,
 * never a hang, never an allocation far beyond the file's size.
 *
 * Seeded: ATTUNE_FUZZ_SEED=<n> replays a run (a failure prints its seed and path),
 * ATTUNE_FUZZ_SEED=random explores new inputs, ATTUNE_FUZZ_RUNS=<n> changes the count.
 */
const SEED = process.env.ATTUNE_FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.ATTUNE_FUZZ_SEED ?? 20260214);
const RUNS = Number(process.env.ATTUNE_FUZZ_RUNS ?? 10_000);
/** Per input: reading four small files takes milliseconds; seconds means a hang. */
const PER_INPUT_MS = 5_000;
/**
 * Memory a read may take beyond the input: copies of the file (decompressed and not),
 * the voxels and stream buffers, a few times the file — never what a header merely declares.
 */
const ALLOC_FACTOR = 8;
const ALLOC_SLACK_BYTES = 1024 * 1024;

/** A real BraTS header to mutate: the bundled demo case's T1 (present on every machine). */
const realFile = join(DEMO_CASE_DIR, `${DEMO_CASE}_t1.nii.gz`);

/** What any volume readNifti returns must satisfy, whatever the header said. */
function expectSoundVolume(v: NiftiVolume, unpackedLength: number) {
  expect(v.dims).toHaveLength(3);
  for (const n of v.dims) expect(Number.isInteger(n) && n >= 2, `dim ${n}`).toBe(true);
  expect(v.data.length).toBe(v.dims[0] * v.dims[1] * v.dims[2]);
  // Voxels come from the file: never more bytes than it holds.
  expect(v.data.byteLength).toBeLessThanOrEqual(unpackedLength);
  for (const s of v.spacingMm) expect(Number.isFinite(s) && s >= 0, `spacing ${v.spacingMm}`).toBe(true);
  expect(v.affine.flat().every(Number.isFinite), `affine ${JSON.stringify(v.affine)}`).toBe(true);
  expect(Number.isFinite(v.scaling.slope) && v.scaling.slope !== 0 && Number.isFinite(v.scaling.inter)).toBe(true);
}

/** A case validation let through must be usable: one grid, 1 mm voxels, finite geometry. */
function expectUsableCase(volumes: NiftiVolume[]) {
  const [ref] = volumes;
  for (const v of volumes) {
    expect(v.dims).toEqual(ref.dims);
    expect(v.data.length).toBe(ref.dims[0] * ref.dims[1] * ref.dims[2]);
    for (const s of v.spacingMm) expect(Math.abs(s - TRAINED_SPACING_MM) <= SPACING_TOLERANCE, `spacing ${v.spacingMm}`).toBe(true);
    expect(v.affine.flat().every(Number.isFinite), `affine ${JSON.stringify(v.affine)}`).toBe(true);
  }
}

describe('fuzzed input files', async () => {
  const realHeader = await realHeaderOf(new Uint8Array(readFileSync(realFile)));
  const bases = fuzzBases(realHeader);

  it('the unmutated bases load as valid cases (so mutations start from something readable)', async () => {
    for (const [n] of bases.entries()) {
      const { files } = fuzzFiles(bases, { base: n, target: 't1', mutations: [], packing: { kind: 'gzip' } });
      const { check } = await loadCase(files);
      expect(check.issues, bases[n].label).toEqual([]);
      expectUsableCase(Object.values(check.mriCase!.modalities));
    }
  });

  it(`${RUNS} generated inputs (seed ${SEED}): each loads as a valid volume or is refused with an InputError`, async () => {
    const outcomes = new Map<string, number>();
    const started = performance.now();
    const property = fc.asyncProperty(fuzzCaseArbitrary(bases.length), async (c: FuzzCase) => {
      const { files, target, unpackedLength } = fuzzFiles(bases, c);
      const before = process.memoryUsage().arrayBuffers;
      const read = await readNifti(target.bytes, target.name).then(
        (volume) => ({ volume, error: null }),
        (error: unknown) => ({ volume: null, error }),
      );
      const grown = process.memoryUsage().arrayBuffers - before;
      expect(grown, 'bytes allocated while reading').toBeLessThanOrEqual(ALLOC_FACTOR * Math.max(target.bytes.length, unpackedLength) + ALLOC_SLACK_BYTES);
      if (read.error) {
        expect(read.error).toBeInstanceOf(InputError);
        expect((read.error as InputError).message).toContain(target.name);
      } else {
        expectSoundVolume(read.volume!, unpackedLength);
      }
      const { check } = await loadCase(files);
      if (read.error) expect(check.mriCase).toBeNull();
      if (check.mriCase) expectUsableCase(Object.values(check.mriCase.modalities));
      else expect(check.issues.some((i) => i.severity === 'error' && i.message.length > 0)).toBe(true);
      const outcome = read.error ? (read.error as InputError).code : check.mriCase ? 'valid case' : `read, then ${check.issues[0].code}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    });
    await fc.assert(property, { seed: SEED, numRuns: RUNS, timeout: PER_INPUT_MS, endOnFailure: false });
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `[inputPath.fuzz] ${RUNS} inputs in ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(0)}/s), seed ${SEED}, bases ${bases.map((b) => b.label).join(', ')}; outcomes: ` +
        [...outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', '),
    );
    // The generator must reach both sides of the property, or it tests nothing.
    expect(outcomes.get('valid case') ?? 0).toBeGreaterThan(RUNS / 50);
    expect([...outcomes.keys()].filter((k) => k !== 'valid case').length).toBeGreaterThan(5);
  }, 180_000);
});
