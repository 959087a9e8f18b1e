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

  function usesAny(set) {
    if (here !== null && set[here]) return true;
    var els = document.querySelectorAll("script[src], img[src], source[src], video[src], " +
                                        "audio[src], iframe[src], embed[src]");
    for (var i = 0; i < els.length; i++) {
      var p = sitePath(els[i].getAttribute("src"));
      if (p !== null && set[p]) return true;
    }
    return false;
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
      state.events.push({type: name, data: data});
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

  function connect() {
    if (source !== null || typeof EventSource === "undefined") return;
    // "since" is the build this page was served from: the server replays what changed
    // after it, so a page that was hidden (or offline) catches up when it reconnects.
    var url = CONFIG.events + "?page=" + encodeURIComponent(here || "") +
      "&since=" + encodeURIComponent(since());
    source = new EventSource(url);
    state.source = source;
    on(source, "hello", function (d) {
      state.connected = true;
      if (state.overlay && !d.failing) { hideErrors(); reload(); }
    });
    on(source, "reload", function (d) {
      if (state.overlay && d.recovered) { hideErrors(); reload(); return; }
      if (here !== null && toSet(d.removed)[here] && !toSet(d.changed)[here]) {
        location.href = CONFIG.home;
        return;
      }
      if (usesAny(toSet(d.changed))) reload();
    });
    on(source, "css", function () { swapStylesheets(); });
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
