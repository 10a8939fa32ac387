import { mount } from 'svelte';
import UpdateNotice from './components/UpdateNotice.svelte';
import { errorMessage } from '../core/util/errorMessage';

/** What src/serviceWorker.ts waits for before a new version takes over. */
const SKIP_WAITING = 'offbrowse:skip-waiting';

/**
 * Registers dist/sw.js, which keeps this build's files for offline use, and
 * shows a notice when a newer build has been fetched and waits. The new build
 * takes over only when the visitor reloads through that notice, so a page never
 * runs on a mix of old and new files.
 */
export async function startOfflineCache(): Promise<void> {
  // Absent outside a secure context (plain http on a host other than localhost): the page then works online only.
  if (!('serviceWorker' in navigator)) return;
  let registration: ServiceWorkerRegistration;
  try {
    // Relative to the page, so the scope is whatever folder dist/ was copied to.
    registration = await navigator.serviceWorker.register('./sw.js', { updateViaCache: 'none' });
  } catch (e) {
    console.warn(`offbrowse: no offline copy of the page here (${errorMessage(e)})`);
    return;
  }
  whenUpdateWaits(registration, () => {
    mount(UpdateNotice, { target: document.body, props: { onreload: () => reloadInto(registration) } });
  });
}

/** Calls `notify` once, when a new version is installed while an older one serves this page's folder. */
function whenUpdateWaits(registration: ServiceWorkerRegistration, notify: () => void): void {
  let notified = false;
  const check = (): void => {
    // With no active worker, the one just installed takes over by itself: a first visit, not an update.
    if (notified || registration.waiting === null || registration.active === null) return;
    notified = true;
    notify();
  };
  const follow = (worker: ServiceWorker | null): void => worker?.addEventListener('statechange', check);
  follow(registration.installing);
  registration.addEventListener('updatefound', () => follow(registration.installing));
  check();
}

/** Lets the waiting version take over, then reloads into it. */
function reloadInto(registration: ServiceWorkerRegistration): void {
  const waiting = registration.waiting;
  // Another tab already let it take over.
  if (waiting === null) return location.reload();
  waiting.addEventListener('statechange', () => {
    if (waiting.state === 'activated' || waiting.state === 'redundant') location.reload();
  });
  waiting.postMessage(SKIP_WAITING);
}
