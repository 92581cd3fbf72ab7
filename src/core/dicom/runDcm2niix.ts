import type { Dcm2niixOutput, DicomConverter, NamedBytes } from './types.ts';

/** The part of dcm2niix's Emscripten module Attune uses (MEMFS + its `main`). */
export interface Dcm2niixModule {
  FS: {
    mkdir(path: string): void;
    writeFile(path: string, data: Uint8Array): void;
    readFile(path: string): Uint8Array;
    readdir(path: string): string[];
  };
  callMain(args: string[]): number;
}

/** Emscripten's module options Attune sets: the wasm bytes (no fetch of its own) and the output hooks. */
export interface Dcm2niixModuleOptions {
  wasmBinary: Uint8Array | ArrayBuffer;
  print(line: string): void;
  printErr(line: string): void;
}

/** `@niivue/dcm2niix`'s Emscripten factory (dist/dcm2niix.jpeg.js's default export). */
export type Dcm2niixFactory = (options: Dcm2niixModuleOptions) => Promise<Dcm2niixModule>;

/**
 * dcm2niix's options: uncompressed .nii (what dcm_qa's Ref holds; the app gzips nothing it
 * only reads), BIDS sidecars (anonymised), output names `<series number>_<SeriesInstanceUID>`
 * so each output is matched to its DICOM files, localisers and derived series kept (they are
 * listed with the reason they are skipped), no cropping.
 */
export const DCM2NIIX_ARGS = ['-z', 'n', '-b', 'y', '-ba', 'y', '-f', '%s_%j', '-i', 'n', '-x', 'n'];

const IN_DIR = '/in';
const OUT_DIR = '/out';

/**
 * A converter over dcm2niix's Emscripten module. Every conversion gets a fresh instance
 * (instantiating takes ~20 ms): its in-memory file system and dcm2niix's C globals start
 * empty, so one drop can never see another's files. (`@niivue/dcm2niix`'s own worker keeps
 * one instance and fails on a second run: its `mkdir('/input')` already exists.)
 * The same function serves the browser's worker and Node; only how the factory and the
 * wasm bytes are found differs (src/worker/dicom.worker.ts, src/node/dcm2niixNode.ts).
 */
export function emscriptenConverter(factory: Dcm2niixFactory, wasmBinary: () => Promise<Uint8Array | ArrayBuffer>): DicomConverter {
  return {
    async convert(files: NamedBytes[]): Promise<Dcm2niixOutput> {
      const log: string[] = [];
      const mod = await factory({ wasmBinary: await wasmBinary(), print: (l) => log.push(l), printErr: (l) => log.push(`E: ${l}`) });
      mod.FS.mkdir(IN_DIR);
      mod.FS.mkdir(OUT_DIR);
      // Flat, numbered names: dcm2niix reads headers, not names, and two folders may hold the same file name.
      files.forEach((f, n) => mod.FS.writeFile(`${IN_DIR}/${String(n).padStart(6, '0')}.dcm`, f.bytes));
      let exitCode: number;
      try {
        exitCode = mod.callMain([...DCM2NIIX_ARGS, '-o', OUT_DIR, IN_DIR]);
      } catch (err) {
        // An abort inside dcm2niix (a malformed file it did not expect) ends up here.
        log.push(`E: dcm2niix stopped: ${(err as Error)?.message ?? String(err)}`);
        exitCode = -1;
      }
      const out = mod.FS.readdir(OUT_DIR)
        .filter((n) => !n.startsWith('.'))
        .sort()
        .map((name) => ({ name, bytes: mod.FS.readFile(`${OUT_DIR}/${name}`) }));
      return { exitCode, files: out, log };
    },
  };
}
