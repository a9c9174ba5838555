/* quizgen's service worker for the study pages served from this folder.

   Every study page opened here (and the index) is kept in the cache, so it opens again when the
   server is gone: on the phone's home screen, offline. Pages come from the network first, so a
   rebuilt page replaces the kept one; when the network does not answer within a few seconds (the
   server stopped, another Wi-Fi), the kept copy is shown. Downloads (Anki decks, PDFs) are not kept. */
'use strict';
var CACHE = 'quizgen-study-1';
var PATIENCE = 3000; // ms to wait for the network before the kept copy is shown

function keepable(response) {
  var type = response && response.ok && response.headers.get('Content-Type') || '';
  return type.indexOf('text/html') === 0 || type.indexOf('application/manifest+json') === 0 ||
    type.indexOf('image/png') === 0;
}

function keep(request, response) {
  if (!keepable(response)) return Promise.resolve();
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
}

function bare(url) { return url.split('#')[0]; }

self.addEventListener('install', function (event) {
  event.waitUntil(self.skipWaiting());
});

// The pages open when the worker starts were loaded before it: keep them now.
self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf('quizgen-study-') === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }).then(function () {
    return self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  }).then(function (windows) {
    return Promise.all(windows.filter(function (w) { return bare(w.url).indexOf(self.registration.scope) === 0; })
      .map(function (w) {
        var page = bare(w.url);
        // a study page's manifest and icons are named after it: <slug>-study.html,
        // <slug>-study.webmanifest, <slug>-study-icon-192.png and -512.png
        var urls = /-study\.html$/.test(page) ? [page].concat(['.webmanifest', '-icon-192.png', '-icon-512.png']
          .map(function (end) { return page.replace(/\.html$/, end); })) : [page];
        return Promise.all(urls.map(function (url) {
          var request = new Request(url);
          return fetch(request).then(function (response) { return keep(request, response); })
            .catch(function () { /* kept the next time it is opened */ });
        }));
      }));
  }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || bare(request.url).indexOf(self.registration.scope) !== 0) return;
  if (request.mode !== 'navigate' && !/\.(webmanifest|png)$/.test(new URL(request.url).pathname)) return;
  var network = fetch(request);
  // registered first, so the copy is taken before the page reads the response
  event.waitUntil(network.then(function (response) { return keep(request, response); }).catch(function () {}));
  var kept = function () {
    return caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || network;
    });
  };
  var timer;
  var late = new Promise(function (resolve) { timer = setTimeout(resolve, PATIENCE); }).then(kept);
  event.respondWith(Promise.race([network.catch(kept), late]).then(function (response) {
    clearTimeout(timer);
    return response;
  }));
});
