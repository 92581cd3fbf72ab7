/**
 * Registration (issue 21) is not part of the page's flow yet. Until it is, its worker client
 * is reachable as `window.attuneRegistration()` — a lazy import, fetched only when called — so
 * the e2e test (e2e/registration.spec.ts) runs it in the built app, under the app's CSP and
 * service worker, and so the build contains the worker and its chunk.
 */
type RegistrationModule = typeof import('../worker/registrationClient.ts');

declare global {
  interface Window {
    attuneRegistration?: () => Promise<RegistrationModule>;
  }
}

export function exposeRegistration(): void {
  window.attuneRegistration = () => import('../worker/registrationClient.ts');
}
