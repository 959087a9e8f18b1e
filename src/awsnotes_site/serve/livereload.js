/* awsnotes-site serve: live reload, served only by the preview server, which adds
   <script src="{base}__awsnotes/livereload.js" defer> to every HTML page it serves.
   The server fills in CONFIG ({"base", "home", "events"}) as it sends this file. */
(function () {
  "use strict";
  if (window.__awsnotesLiveReload) return;
  var CONFIG = __CONFIG__;
  var OVERLAY_ID = "awsnotes-error-overlay";
  var SCROLL_KEY = "awsnotes-scroll:" + location.pathname;
  var state = window.__awsnotesLiveReload = {connected: false, events: [], overlay: false};

  function sitePath(url) {
    var u;
    try { u = new URL(url, location.href); } catch (e) { return null; }
    if (u.origin !== location.origin) return null;
    var p = u.pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it encoded */ }
    if (p + "/" === CONFIG.base) p = CONFIG.base;
    if (p.indexOf(CONFIG.base) !== 0) return null;
    p = p.slice(CONFIG.base.length);
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p.normalize ? p.normalize("NFC") : p;
  }
  var here = sitePath(location.href);

  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(SCROLL_KEY);
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (e) { return; }
    if (saved === null) return;
    var y = parseFloat(saved);
    if (!isFinite(y)) return;
    var go = function () { window.scrollTo(0, y); };
    go();
    if (document.readyState !== "complete") window.addEventListener("load", go, {once: true});
  }

  function reload() {
    try { sessionStorage.setItem(SCROLL_KEY, String(window.scrollY)); } catch (e) {}
    state.reloading = true;
    location.reload();
  }

  function toSet(list) {
    var set = Object.create(null);
    (list || []).forEach(function (p) { set[p.normalize ? p.normalize("NFC") : p] = true; });
    return set;
  }

  // Whether the page uses one of SET (an image, a script, ...; with PAGE, itself too).
  function usesAny(set, page) {
    if (page !== false && here !== null && set[here]) return true;
    var els = document.querySelectorAll("script[src], img[src], source[src], video[src], " +
                                        "audio[src], iframe[src], embed[src]");
    for (var i = 0; i < els.length; i++) {
      var p = sitePath(els[i].getAttribute("src"));
      if (p !== null && set[p]) return true;
    }
    return false;
  }

  // -- patching the open page in place ------------------------------------------------
  // The page is patched with a three-way merge: BASE is the page as the server sent it
  // (fetched again when the stream connects), NEW the page the server has now, LIVE the
  // document with whatever the theme's scripts and the reader did to it. Only what differs
  // between BASE and NEW is touched in LIVE, so code-block buttons, open <details>, focus,
  // the search box's text and the scroll position stay where nothing changed. A change to
  // <head> other than <title> and <meta>, or to any script, reloads the page instead.
  var PARSER = typeof DOMParser !== "undefined" ? new DOMParser() : null;
  var base = null;  // the served document the live one was made from (null: unknown)
  var pushed = null;  // the last "page" event: this page's new HTML, sent with a reload
  var queue = Promise.resolve();
  state.timings = [];

  function generationOf(response) {
    var m = /desc="([^"]*)"/.exec(response.headers.get("Server-Timing") || "");
    return m ? m[1] : "";
  }

  function fetchPage() {
    return fetch(location.href, {cache: "no-store", credentials: "same-origin"})
      .then(function (r) {
        if (!r.ok) throw new Error("status " + r.status);
        var gen = generationOf(r);
        return r.text().then(function (text) {
          return {doc: PARSER.parseFromString(text, "text/html"), generation: gen};
        });
      });
  }

  function snapshotBase() {
    if (PARSER === null || typeof fetch === "undefined" || served === "") return;
    queue = queue.then(fetchPage).then(function (got) {
      // The snapshot is this page only when no build came between the page and it.
      if (base === null && got.generation === served) {
        base = got.doc;
        state.snapshot = true;
      }
    }, function () {});
  }

  function elements(node) {
    return Array.prototype.slice.call(node.children);
  }

  function leafish(el) {
    if (el.tagName === "PRE" || el.tagName === "TEXTAREA" || el.tagName === "SVG") return true;
    for (var c = el.firstChild; c !== null; c = c.nextSibling) {
      if (c.nodeType === 3 && /\S/.test(c.nodeValue)) return true;
    }
    return false;
  }

  // The live children that the served children of BASE became, in order (the theme's
  // additions are skipped); throws when they cannot all be found.
  function align(live, base) {
    var lc = elements(live), out = [], j = 0;
    elements(base).forEach(function (b) {
      while (j < lc.length && lc[j].tagName !== b.tagName) j++;
      if (j >= lc.length) throw new Error("cannot align <" + b.tagName + ">");
      out.push(lc[j++]);
    });
    return out;
  }

  function mergeAttributes(live, before, after) {
    Array.prototype.forEach.call(after.attributes, function (a) {
      if (before.getAttribute(a.name) !== a.value) live.setAttribute(a.name, a.value);
    });
    Array.prototype.forEach.call(before.attributes, function (a) {
      if (!after.hasAttribute(a.name)) live.removeAttribute(a.name);
    });
  }

  function fresh(node) {
    if (node.tagName === "SCRIPT" || node.querySelector("script")) {
      throw new Error("a script changed");
    }
    return document.importNode(node, true);
  }

  function detailsIn(el) {
    var list = Array.prototype.slice.call(el.querySelectorAll("details"));
    if (el.tagName === "DETAILS") list.unshift(el);
    return list;
  }

  // A replaced element's <details> keep their open state (when they can be paired).
  function keepState(old, made) {
    var olds = detailsIn(old), mades = detailsIn(made);
    if (olds.length === mades.length) {
      olds.forEach(function (d, i) { mades[i].open = d.open; });
    }
  }

  function replace(live, after) {
    var made = fresh(after);
    keepState(live, made);
    var focused = live.contains(document.activeElement) ? document.activeElement : null;
    live.parentNode.replaceChild(made, live);
    if (focused !== null && focused.id) {
      var again = document.getElementById(focused.id);
      if (again) again.focus({preventScroll: true});
    }
  }

  function patchNode(live, before, after) {
    if (before.isEqualNode(after)) return;
    if (before.tagName !== after.tagName || leafish(before) || leafish(after)) {
      replace(live, after);
      return;
    }
    mergeAttributes(live, before, after);
    patchChildren(live, before, after);
  }

  function remove(node) {
    if (node.parentNode) node.parentNode.removeChild(node);
  }

  // Element children of BEFORE -> AFTER applied to LIVE: the common ends stay; in the
  // middle, a served child equal to the next new one is kept (the ones before it go), one
  // of the same tag is patched in place, anything else is inserted new.
  function patchChildren(live, before, after) {
    var L = align(live, before), B = elements(before), N = elements(after);
    var p = 0, s = 0, min = Math.min(B.length, N.length);
    while (p < min && B[p].isEqualNode(N[p])) p++;
    while (s < min - p && B[B.length - 1 - s].isEqualNode(N[N.length - 1 - s])) s++;
    var bm = B.slice(p, B.length - s), nm = N.slice(p, N.length - s), lm = L.slice(p);
    var anchor = s > 0 ? L[B.length - s] : (L.length ? L[L.length - 1].nextSibling : null);
    var i = 0;
    nm.forEach(function (n, k) {
      for (var t = i; t < bm.length && t < i + 64; t++) {
        if (bm[t].isEqualNode(n)) {
          for (; i < t; i++) remove(lm[i]);
          i = t + 1;
          return;
        }
      }
      var next = nm[k + 1];
      if (i < bm.length && bm[i].tagName === n.tagName && !(next && bm[i].isEqualNode(next))) {
        patchNode(lm[i], bm[i], n);
        i++;
        return;
      }
      live.insertBefore(fresh(n), i < bm.length ? lm[i] : anchor);
    });
    for (; i < bm.length; i++) remove(lm[i]);
  }

  function signature(head) {
    return elements(head).filter(function (e) {
      return e.tagName !== "TITLE" && e.tagName !== "META";
    }).map(function (e) { return e.outerHTML; }).join("\n");
  }

  function scripts(doc) {
    return Array.prototype.map.call(doc.body.querySelectorAll("script"), function (e) {
      return e.outerHTML;
    }).join("\n");
  }

  // Patch the document from BEFORE to AFTER; false when the page must reload instead.
  function patchDocument(before, after) {
    if (signature(before.head) !== signature(after.head)) return false;
    if (scripts(before) !== scripts(after)) return false;
    var x = window.scrollX, y = window.scrollY;
    mergeAttributes(document.documentElement, before.documentElement, after.documentElement);
    if (before.title !== after.title) document.title = after.title;
    patchChildren(document.head, before.head, after.head);
    mergeAttributes(document.body, before.body, after.body);
    patchChildren(document.body, before.body, after.body);
    if (window.scrollX !== x || window.scrollY !== y) window.scrollTo(x, y);
    return true;
  }

  function update(at) {
    queue = queue.then(function () {
      if (base === null) throw new Error("no snapshot of the served page");
      var d = pushed;
      pushed = null;
      if (d !== null && d.path === here) {
        return {doc: PARSER.parseFromString(d.html, "text/html"), generation: d.served};
      }
      return fetchPage();
    }).then(function (got) {
      var fetched = performance.now();
      if (!patchDocument(base, got.doc)) { reload(); return; }
      base = got.doc;
      if (got.generation) served = got.generation;
      state.timings.push({event: at, fetched: fetched, patched: performance.now()});
      state.patches = (state.patches || 0) + 1;
      document.dispatchEvent(new CustomEvent("awsnotes:patched"));
    }).catch(function (e) {
      state.patchError = String(e);
      reload();
    });
  }

  function swapStylesheets() {
    var stamp = String(Date.now());
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    Array.prototype.forEach.call(links, function (link) {
      if (sitePath(link.href) === null) return;
      var u = new URL(link.href, location.href);
      u.searchParams.set("awsnotes", stamp);
      var fresh = link.cloneNode(false);
      var done = function () { if (link.parentNode) link.parentNode.removeChild(link); };
      fresh.addEventListener("load", done, {once: true});
      fresh.addEventListener("error", done, {once: true});
      fresh.href = u.href;
      link.parentNode.insertBefore(fresh, link.nextSibling);
    });
  }

  function hideErrors() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.parentNode.removeChild(old);
    state.overlay = false;
  }

  function showErrors(diagnostics) {
    hideErrors();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-live", "assertive");
    box.style.cssText = "position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483647;" +
      "overflow:auto;margin:0;padding:24px;background:rgba(24,24,27,.97);color:#fafafa;" +
      "font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left;";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 16px;font-weight:bold;font-size:16px;color:#fca5a5;";
    title.textContent = "빌드 오류 (build failed) — 고쳐서 저장하면 자동으로 다시 읽힙니다";
    box.appendChild(title);
    (diagnostics || []).forEach(function (d) {
      var item = document.createElement("pre");
      item.className = "awsnotes-error";
      item.style.cssText = "margin:0 0 12px;white-space:pre-wrap;word-break:break-word;";
      var where = String(d.path) + (d.line != null ? ":" + d.line : "") +
        (d.line != null && d.col != null ? ":" + d.col : "");
      item.setAttribute("data-file", String(d.path));
      if (d.line != null) item.setAttribute("data-line", String(d.line));
      var loc = document.createElement("strong");
      loc.textContent = where;
      item.appendChild(loc);
      item.appendChild(document.createTextNode(": " + d.severity + ": " + d.message +
                                               (d.hint ? "\n  hint: " + d.hint : "")));
      box.appendChild(item);
    });
    (document.body || document.documentElement).appendChild(box);
    state.overlay = true;
  }

  function on(source, name, handle) {
    source.addEventListener(name, function (e) {
      if (typeof e.data !== "string") return;  // a connection error: EventSource retries
      var data;
      try { data = JSON.parse(e.data); } catch (err) { return; }
      state.events.push({type: name, data: data, at: performance.now()});
      handle(data);
    });
  }

  function since() {
    try {
      var nav = performance.getEntriesByType("navigation")[0];
      var entries = (nav && nav.serverTiming) || [];
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].name === "awsnotes") return entries[i].description;
      }
    } catch (e) {}
    return "";
  }

  var source = null;
  var served = since();  // the build the page shows: "{server}.{generation}"

  function connect() {
    if (source !== null || typeof EventSource === "undefined") return;
    // "since" is the build this page was served from: the server replays what changed
    // after it, so a page that was hidden (or offline) catches up when it reconnects.
    var url = CONFIG.events + "?page=" + encodeURIComponent(here || "") +
      "&since=" + encodeURIComponent(served);
    source = new EventSource(url);
    state.source = source;
    on(source, "hello", function (d) {
      state.connected = true;
      if (base === null) snapshotBase();
      if (state.overlay && !d.failing) { hideErrors(); reload(); }
    });
    on(source, "reload", function (d) {
      if (state.overlay && d.recovered) { hideErrors(); reload(); return; }
      if (here !== null && toSet(d.removed)[here] && !toSet(d.changed)[here]) {
        location.href = CONFIG.home;
        return;
      }
      var changed = toSet(d.changed);
      if (usesAny(changed, false)) reload();
      else if (here !== null && changed[here]) update(performance.now());
    });
    on(source, "css", function () { swapStylesheets(); });
    source.addEventListener("page", function (e) {
      try { pushed = JSON.parse(e.data); } catch (err) { return; }
      state.events.push({type: "page", data: {path: pushed.path, served: pushed.served},
                         at: performance.now()});
    });
    on(source, "error", function (d) { showErrors(d.diagnostics); });
  }

  function disconnect() {
    if (source !== null) source.close();
    source = null;
    state.connected = false;
  }

  // Browsers allow about six connections to one host: hidden tabs let go of theirs.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") disconnect(); else connect();
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function (e) { if (e.persisted) connect(); });
  restoreScroll();
  if (document.visibilityState !== "hidden") connect();
})();
