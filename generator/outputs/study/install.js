/* Installing the study page as a web app: only when it is served over http(s), never from a file.
   Links the page's web app manifest and registers the service worker that keeps the pages offline.
   Kept apart from study.js: the page works the same without it. */
(function () {
  'use strict';
  if (location.protocol !== 'https:' && location.protocol !== 'http:') return;
  var script = document.currentScript;
  var manifest = script && script.getAttribute('data-manifest');
  if (manifest) {
    var link = document.createElement('link');
    link.rel = 'manifest';
    link.href = manifest;
    document.head.appendChild(link);
    var icon = document.createElement('link');
    icon.rel = 'apple-touch-icon';
    icon.href = script.getAttribute('data-icon');
    document.head.appendChild(icon);
  }
  // Service workers exist only in a secure context: https, or http from this very machine.
  if (!window.isSecureContext || !('serviceWorker' in navigator)) {
    // say so, rather than let "works offline" mislead: shown once the page has loaded
    document.addEventListener('DOMContentLoaded', function () {
      var note = document.getElementById('offline-note');
      if (note) note.hidden = false;
    });
    return;
  }
  var worker = script && script.getAttribute('data-worker');
  if (worker) navigator.serviceWorker.register(worker).catch(function () { /* the page works without it */ });
})();
