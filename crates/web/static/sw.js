// The web app's service worker: keeps the app (page, scripts, wasm, styles, icons) on
// the phone so it opens with no network at all. Each relay build has its own cache,
// named by VERSION; the relay fills VERSION and FILES in when it serves this script.
// A new version installs in the background and waits: the page offers "Reload", and
// only then does it take over (the message "skip-waiting").
const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = `storeops-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(
        keys
          .filter((key) => key.startsWith("storeops-") && key !== CACHE)
          .map((key) => caches.delete(key)),
      ),
    ).then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The relay's API and sync are never cached; other origins are not ours.
  if (
    request.method !== "GET" ||
    url.origin !== self.location.origin ||
    url.pathname.startsWith("/v1/") ||
    url.pathname === "/sync" ||
    url.pathname === "/sw.js"
  ) {
    return;
  }
  // Every page of the app (/, /enrol…) is the one page.
  const key = request.mode === "navigate" ? "./" : request;
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(key, { ignoreSearch: true }).then((hit) => hit || fetch(request)),
    ),
  );
});
