// The service worker of the served build (dist/): it keeps this build's own
// files, and nothing else, so the page and `?demo` open with the network off
// after one visit. The build (vite.config.ts) strips the types, puts PRECACHE
// in front and writes it as dist/sw.js; it is never bundled, so it imports nothing.
//
// It fetches only the files in PRECACHE, from its own folder, when it installs.
// Afterwards it answers those files from its cache and leaves every other
// request alone: it calls fetch() itself only for a precached file missing from
// the cache (the browser may evict caches under storage pressure).

/** Written by the build: this build's files relative to sw.js (`./` is index.html), and a name derived from their contents. */
interface Precache {
  version: string;
  files: string[];
}
declare const PRECACHE: Precache;

// The service-worker types are not in the page's DOM library, so the few used here are spelled out.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
}
interface ServiceWorkerScope {
  readonly location: { readonly href: string; readonly origin: string };
  readonly registration: { readonly scope: string };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}

/** What the page posts to a waiting worker when the visitor chooses to reload into the new version. */
const SKIP_WAITING = 'offbrowse:skip-waiting';

const worker = self as unknown as ServiceWorkerScope;
/** The folder dist/ was copied to: sw.js sits at its top. */
const folder = new URL('./', worker.location.href);
/**
 * Caches are per origin, and two copies of Offbrowse may share one (say
 * /tools/offbrowse/ and /tools/offbrowse-next/): each copy only ever touches
 * the caches named after its own scope.
 */
const ownPrefix = `offbrowse ${worker.registration.scope} `;
const cacheName = ownPrefix + PRECACHE.version;

/** Path of each precached file → the URL it is cached under. */
const precached = new Map<string, string>();
for (const file of PRECACHE.files) {
  const url = new URL(file, folder);
  precached.set(url.pathname, url.href);
}
// index.html under its own name, with any query (`index.html?demo`), is the folder's page.
precached.set(new URL('index.html', folder).pathname, folder.href);

/**
 * The response read to its end, as the cache will hold it. Each body is read
 * as it comes: with the bodies left unread until every file had answered,
 * Chromium never sent the last requests and the install hung. The copy is also
 * never marked redirected (a host may redirect `index.html` to `./`), which
 * Chromium refuses as the answer to a navigation.
 */
async function download(url: string): Promise<Response> {
  // 'reload': past the HTTP cache, which may still hold the previous build's index.html.
  const response = await fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' }));
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Every file first, then the cache: a failed download leaves no half-filled cache, and the old version keeps serving. */
async function precache(): Promise<void> {
  const urls = [...new Set(precached.values())];
  const responses = await Promise.all(urls.map(download));
  const cache = await caches.open(cacheName);
  await Promise.all(responses.map((response, i) => cache.put(urls[i], response)));
}

/** The previous builds' caches of this copy, once this build serves in their place. */
async function dropOlderCaches(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(ownPrefix) && n !== cacheName).map((n) => caches.delete(n)));
}

async function fromCache(url: string, request: Request): Promise<Response> {
  const cached = await caches.match(url, { cacheName });
  // Same origin and one of this build's own files (checked by the caller).
  return cached ?? fetch(request);
}

worker.addEventListener('install', (event) => event.waitUntil(precache()));

worker.addEventListener('activate', (event) => event.waitUntil(dropOlderCaches()));

worker.addEventListener('message', (event) => {
  if (event.data === SKIP_WAITING) event.waitUntil(worker.skipWaiting());
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Anything not this build's own file goes to the browser as if there were no service worker.
  if (url.origin !== worker.location.origin) return;
  const cached = precached.get(url.pathname);
  if (cached === undefined) return;
  event.respondWith(fromCache(cached, request));
});

export {};
