/**
 * Skull stripping with MindGrab through src/core/skullStrip (issue 21, item 3), in Node on
 * the CLI's backend (wasm): per scan the wall time (total and network), peak memory (RSS
 * sampled every 200 ms and at every chunk; the JS heap and array buffers too), the box the
 * network ran on, the brain volume, and — where a reference mask on the scan's own grid is
 * given — Dice against it (HD-BET's for the TCGA study). One JSON record per scan, with
 * the machine's load average (another job may share the cores).
 *
 *   nice -n 10 npx tsx bench/skullStrip.ts [--scans fg6692-t1c,t1-crop,brats-stripped]
 *     [--backend wasm|cpu] [--out bench/runs/skullStrip] [--masks /tmp/masks]
 *     [--crop-fraction 0.5] [--crop-padding 20]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { readNifti, writeNifti } from '../src/core/volume/index.ts';
import { maskDice, voxelMl, gridOf } from '../src/core/registration/index.ts';
import { macsPerVoxel, parseMeshnet, stripSkull } from '../src/core/skullStrip/index.ts';
import { useNodeBackend, type NodeBackend } from '../src/node/useNodeBackend.ts';

const { values: args } = parseArgs({
  options: {
    scans: { type: 'string', default: 'fg6692-t1c,t1-crop,brats-stripped' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'bench/runs/skullStrip' },
    masks: { type: 'string' },
    model: { type: 'string', default: '../shared/third_party/mindgrab' },
    'crop-fraction': { type: 'string', default: '0.5' },
    'crop-padding': { type: 'string', default: '20' },
  },
});

const RAW = '../shared/data/raw/TCGA-FG-6692';
const SCANS: Record<string, { path: string; reference?: string; note: string }> = {
  'fg6692-t1c': {
    path: `${RAW}/MRHR_T1_AX_POST_GAD_OtherEXampleTCIA_TCGA-FG-6692_Si_TCGA-FG-6692_MRHR_T1_AX_POST_GAD_SE_13_se2d1r_t1c.nii.gz`,
    reference: `${RAW}/hdbet-native-masks/OtherEXampleFromTCIA_hdbet_mask_native_t1c.nii.gz`,
    note: 'TCGA-FG-6692 native T1Gd (0.9×0.9×5.5 mm, with skull); reference: HD-BET mask on the same grid',
  },
  't1-crop': { path: '../shared/third_party/mindgrab/t1_crop.nii.gz', note: "brainchop's sample T1 head (256³, with skull); no reference mask" },
  'brats-stripped': { path: '../shared/data/brats2021/BraTS2021_00324/BraTS2021_00324_t1ce.nii.gz', note: 'a BraTS T1Gd (already skull-stripped): must be recognised, no network' },
};

const mib = (b: number) => Math.round(b / 2 ** 20);

async function main(): Promise<void> {
  await useNodeBackend(args.backend as NodeBackend);
  const model = parseMeshnet(JSON.parse(await readFile(join(args.model!, 'model.json'), 'utf8')), new Uint8Array(await readFile(join(args.model!, 'model.bin'))));
  await mkdir(args.out!, { recursive: true });
  if (args.masks) await mkdir(args.masks, { recursive: true });
  for (const key of args.scans!.split(',')) {
    const scan = SCANS[key];
    if (!scan) throw new Error(`unknown scan ${key} (${Object.keys(SCANS).join(', ')})`);
    const volume = await readNifti(await readFile(scan.path), scan.path.split('/').pop()!);
    const peak = { rss: 0, heapUsed: 0, arrayBuffers: 0, tfBytes: 0 };
    const sample = () => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
      peak.tfBytes = Math.max(peak.tfBytes, tf.memory().numBytes);
    };
    const rssBefore = process.memoryUsage().rss;
    const timer = setInterval(sample, 200);
    const loadBefore = loadavg();
    let last = 0;
    const result = await stripSkull(volume, model, {
      cropFraction: Number(args['crop-fraction']),
      cropPadding: Number(args['crop-padding']),
      onProgress: (done, total) => {
        sample();
        const pct = Math.floor((100 * done) / total);
        if (pct >= last + 10) {
          last = pct;
          console.log(`  ${key}: ${pct} % (${done}/${total} chunks)`);
        }
      },
    });
    clearInterval(timer);
    sample();
    const grid = gridOf(volume);
    const brainVoxels = result.brainMask.reduce((s, v) => s + v, 0);
    let dice: number | null = null;
    let referenceMl: number | null = null;
    if (scan.reference) {
      const ref = await readNifti(await readFile(scan.reference), 'reference');
      if (ref.dims.join() !== volume.dims.join()) throw new Error(`reference mask ${ref.dims} is not on the scan's grid ${volume.dims}`);
      const refMask = Uint8Array.from(ref.data as ArrayLike<number>, (v) => (v > 0 ? 1 : 0));
      dice = maskDice(result.brainMask, refMask);
      referenceMl = refMask.reduce((s, v) => s + v, 0) * voxelMl(grid);
    }
    if (args.masks) await writeFile(join(args.masks, `${key}_mindgrab_mask.nii.gz`), writeNifti(volume, result.brainMask, { gzip: true }));
    const boxVoxels = result.box ? result.box.size.reduce((a, b) => a * b, 1) : 0;
    const record = {
      scan: key,
      note: scan.note,
      file: scan.path,
      dims: volume.dims,
      spacingMm: volume.spacingMm,
      alreadyStripped: result.alreadyStripped,
      box: result.box,
      boxVoxels,
      seconds: Number(result.seconds.toFixed(1)),
      networkSeconds: Number(result.networkSeconds.toFixed(1)),
      gflopPerSecond: result.networkSeconds > 0 ? Number(((2 * macsPerVoxel(model) * boxVoxels) / result.networkSeconds / 1e9).toFixed(2)) : null,
      brainMl: Number((brainVoxels * voxelMl(grid)).toFixed(1)),
      referenceMl: referenceMl === null ? null : Number(referenceMl.toFixed(1)),
      diceVsReference: dice === null ? null : Number(dice.toFixed(4)),
      memoryMiB: { rssBefore: mib(rssBefore), rssPeak: mib(peak.rss), heapUsedPeak: mib(peak.heapUsed), arrayBuffersPeak: mib(peak.arrayBuffers), tfjsPeak: mib(peak.tfBytes) },
      options: { cropFraction: Number(args['crop-fraction']), cropPadding: Number(args['crop-padding']), threshold: 0.5, fillHoles: true },
      backend: args.backend,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemGiB: Math.round(totalmem() / 2 ** 30), loadavgBefore: loadBefore.map((v) => Number(v.toFixed(2))), loadavgAfter: loadavg().map((v) => Number(v.toFixed(2))) },
      command: `nice -n 10 npx tsx bench/skullStrip.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
    };
    console.log(JSON.stringify(record));
    await writeFile(join(args.out!, `${key}.json`), JSON.stringify(record, null, 2) + '\n');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
