"""The service worker's source (``sw.js``): :mod:`awsnotes_site.pipeline.offline` fills
in ``C`` (the build id, base path, versioned assets and files fetched at install)."""

from __future__ import annotations

WORKER_SOURCE = r"""/* The service worker of an awsnotes-site (sw.js at the base path; its scope).
 * Written by the build: C holds this build's id, the base path, the versioned assets
 * (path -> content hash) and the files fetched at install (the search index).
 * - pages and data: network first (a new deploy is seen at once), the copy kept when the
 *   reader opened them serves them offline;
 * - CSS/JS: cache first, kept under their content-hashed URL (site.css?v=HASH, as pages
 *   link them; C.assets: this build's, fetched at install);
 * - caches of other builds are deleted on activate. */
"use strict";
var C = /*CONSTANTS*/{};
var PAGES = "awsnotes-pages-" + C.build;
var ASSETS = "awsnotes-assets-" + C.build;

function assetKey(path) {
  return C.base + path + "?v=" + C.assets[path];
}

self.addEventListener("install", function (event) {
  var assets = Object.keys(C.assets).map(assetKey);
  var warm = C.warm.map(function (p) { return C.base + p; });
  event.waitUntil(
    Promise.all([
      caches.open(ASSETS).then(function (c) { return c.addAll(assets); }),
      caches.open(PAGES).then(function (c) { return c.addAll(warm); })
    ]).catch(function () { /* offline while installing: the next visit tries again */ })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("awsnotes-") === 0 && n !== PAGES && n !== ASSETS;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
      .then(keepOpenPages)
  );
});

// The pages open when this worker took over were loaded without it: keep them too.
function keepOpenPages() {
  return self.clients.matchAll({ type: "window" }).then(function (windows) {
    return caches.open(PAGES).then(function (c) {
      return Promise.all(windows.map(function (w) {
        var url = new URL(w.url);
        url.hash = "";
        return c.add(url.href).catch(function () {});
      }));
    });
  });
}

function networkFirst(request) {
  return fetch(request, { cache: "no-cache" }).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (c) { return c.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (c) {
      return c.match(request).then(function (hit) {
        return hit || c.match(request, { ignoreSearch: true });
      });
    }).then(function (hit) {
      return hit || caches.match(request, { ignoreSearch: true });
    }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function cacheFirst(request, key) {
  return caches.open(ASSETS).then(function (c) {
    return c.match(key).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok) c.put(key, response.clone());
        return response;
      }).catch(function () {
        // Offline, with no copy under this hash (a page kept from an older build): the
        // same file under this build's hash.
        return caches.match(request, { ignoreSearch: true }).then(function (other) {
          return other || Response.error();
        });
      });
    });
  });
}

// A content-hashed URL (site.css?v=HASH, as the build links CSS and JavaScript) never
// changes its content: it is kept under that URL.
function hashedAsset(url, path) {
  return /\.(css|js)$/.test(path) && /^\?v=[0-9a-f]+$/.test(url.search);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf(C.base) !== 0) return;
  var path = decodeURIComponent(url.pathname.slice(C.base.length));
  if (path.indexOf("__awsnotes/") === 0) return; // the development server's own files
  if (C.assets[path] && !url.search) {
    event.respondWith(cacheFirst(request, assetKey(path)));
    return;
  }
  if (hashedAsset(url, path)) {
    event.respondWith(cacheFirst(request, url.href));
    return;
  }
  event.respondWith(networkFirst(request));
});
"""
