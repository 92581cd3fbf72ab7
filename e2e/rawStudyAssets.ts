import type { BrowserContext, Page, Request, Worker } from '@playwright/test';
import { PHANTOM_STRIP_Z, rawPhantomStudy, thresholdMeshnet } from '../src/core/rawStudy/testing/rawPhantomStudy.ts';

/**
 * What the raw-study specs share. The page requests MindGrab and SRI24 from its own origin
 * (/models/mindgrab/, /atlas/sri24/spgr.nii.gz); these answer those paths with a
 * MindGrab-format threshold model (`thresholdMeshnet`: MindGrab on a 256³ head takes many
 * minutes on this CPU) and the phantom's own brain as the atlas (the phantom is no human
 * brain, so SRI24 is not its atlas), exactly as `openWithTinyModel` serves the tiny U-Net.
 * The production build has no switch for either: the app's code path is the one users run.
 */
let stand: { model: { json: object; bin: Uint8Array }; atlasNifti: Uint8Array } | null = null;
const standIns = () => (stand ??= { model: thresholdMeshnet(PHANTOM_STRIP_Z), atlasNifti: rawPhantomStudy().atlasNifti });

/** The stand-ins' bytes, for tests that check what a cache holds. */
export function rawStudyStandIns(): { modelJson: string; modelBin: Uint8Array; atlasNifti: Uint8Array } {
  const { model, atlasNifti } = standIns();
  return { modelJson: JSON.stringify(model.json), modelBin: model.bin, atlasNifti };
}

/**
 * Serves the stand-ins on `target`: a page (its own requests and its workers'), or a whole
 * context — which, in Chromium, also answers the service worker's own requests (its
 * precache). `assetRequests`: the URLs answered; `routed`: the requests themselves.
 */
export async function serveRawStudyAssets(target: Page | BrowserContext): Promise<{ assetRequests: string[]; routed: Request[] }> {
  const assetRequests: string[] = [];
  const routed: Request[] = [];
  const headers = { 'Cross-Origin-Resource-Policy': 'same-origin' };
  const { modelJson, modelBin, atlasNifti } = rawStudyStandIns();
  const answer = (path: string, contentType: string, body: string | Buffer) =>
    target.route((url) => url.pathname === path, (route) => {
      assetRequests.push(route.request().url());
      routed.push(route.request());
      return route.fulfill({ status: 200, contentType, headers, body });
    });
  await answer('/models/mindgrab/model.json', 'application/json', modelJson);
  await answer('/models/mindgrab/model.bin', 'application/octet-stream', Buffer.from(modelBin));
  await answer('/atlas/sri24/spgr.nii.gz', 'application/gzip', Buffer.from(atlasNifti));
  return { assetRequests, routed };
}

export interface WatchedWorker {
  /** Playwright saw the worker close. */
  closed: boolean;
  /**
   * The worker is gone: closed, or it no longer answers because its thread has ended (an
   * evaluation in it fails at once). A worker still running — e.g. stuck in a wasm call —
   * neither closes nor fails the evaluation within the wait, so this stays false for it.
   */
  gone(): Promise<boolean>;
}

/**
 * Each raw-study worker the page starts, and whether it has been terminated. (Once, in CI,
 * Playwright's `close` never came for a worker the app had terminated, with the page showing
 * the cancelled state; `gone` also asks the worker itself.)
 */
export function watchRawWorkers(page: Page): WatchedWorker[] {
  const workers: WatchedWorker[] = [];
  page.on('worker', (w: Worker) => {
    if (!w.url().includes('rawStudy.worker')) return;
    const entry: WatchedWorker = {
      closed: false,
      async gone() {
        if (entry.closed) return true;
        const answer = w.evaluate(() => 'alive').then(() => false, () => true);
        return Promise.race([answer, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000))]);
      },
    };
    workers.push(entry);
    w.on('close', () => (entry.closed = true));
  });
  return workers;
}
