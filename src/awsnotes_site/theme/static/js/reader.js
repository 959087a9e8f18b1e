/*
 * awsnotes-site: reading aids.  Vanilla JavaScript, loaded with `defer`.
 *
 *  - the table of contents: keeps its fold open on wide screens (the style sheet places
 *    it: beside the note on wide screens, folded after the introduction on narrow ones)
 *  - offline reading: registers the service worker (sw.js at the site's base path)
 *  - instant navigation: an internal link's page is prefetched on hover, focus or touch
 *    start (once per URL; not with Save-Data or a slow connection)
 *  - comments on request: giscus is loaded only when "댓글 보기" is pressed, and follows
 *    the colour mode
 */
(function () {
  "use strict";

  var doc = document;
  var WIDE = "(min-width: 1100px)";

  function basePath() {
    var base = (doc.body && doc.body.getAttribute("data-base")) || "/";
    return base.charAt(base.length - 1) === "/" ? base : base + "/";
  }

  function devServer() {
    return !!doc.querySelector('script[src*="__awsnotes/"]');
  }

  // ------------------------------------------------------------- table of contents

  function initToc() {
    // The style sheet places the TOC (after the introduction and folded on narrow screens,
    // beside the text on wide ones, where its list shows even when folded), so nothing
    // moves after the first paint.  This only keeps the fold's state in step: open on wide
    // screens, where its title does not fold it.
    var fold = doc.querySelector(".note-layout aside.toc > details");
    if (!fold || !window.matchMedia) return;
    var query = window.matchMedia(WIDE);
    function sync() {
      fold.open = query.matches;
    }
    if (query.matches) sync();
    if (query.addEventListener) query.addEventListener("change", sync);
    else if (query.addListener) query.addListener(sync);
    fold.addEventListener("click", function (event) {
      if (query.matches && event.target.closest("summary")) event.preventDefault();
    });
  }

  // ------------------------------------------------------------- offline reading

  function initOffline() {
    var sw = navigator.serviceWorker;
    if (!sw || !/^https?:$/.test(location.protocol) || devServer()) return;
    var base = basePath();
    sw.register(base + "sw.js", { scope: base }).catch(function () {
      /* no offline copy then; the site works as before */
    });
  }

  // ------------------------------------------------------------- instant navigation

  function slowConnection() {
    var c = navigator.connection;
    if (!c) return false;
    return !!c.saveData || /(^|-)2g$/.test(c.effectiveType || "");
  }

  function initPrefetch() {
    if (slowConnection()) return;
    var done = {};
    var base = location.origin + basePath();
    var useLink = false;
    try {
      useLink = doc.createElement("link").relList.supports("prefetch");
    } catch (e) {
      useLink = false;
    }
    function prefetch(event) {
      var a = event.target && event.target.closest ? event.target.closest("a[href]") : null;
      if (!a || a.hasAttribute("download") || (a.target && a.target !== "_self")) return;
      var url = new URL(a.href, location.href);
      url.hash = "";
      var here = location.href.split("#")[0];
      if (url.href.indexOf(base) !== 0 || url.href === here || done[url.href]) return;
      if (/\.(xml|json|png|jpe?g|gif|webp|avif|svg|pdf|zip)$/i.test(url.pathname)) return;
      if (slowConnection()) return;
      done[url.href] = true;
      if (useLink) {
        var link = doc.createElement("link");
        link.rel = "prefetch";
        link.href = url.href;
        doc.head.appendChild(link);
      } else if (window.fetch) {
        fetch(url.href, { credentials: "same-origin", priority: "low" }).catch(function () {});
      }
    }
    doc.addEventListener("mouseover", prefetch, { passive: true });
    doc.addEventListener("focusin", prefetch);
    doc.addEventListener("touchstart", prefetch, { passive: true });
  }

  // ------------------------------------------------------------- comments

  function shownTheme() {
    var chosen = doc.documentElement.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen;
    var q = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
    return q && q.matches ? "dark" : "light";
  }

  function giscusTheme(theme) {
    return theme === "dark" ? "dark" : "light";
  }

  function initComments() {
    var button = doc.querySelector(".comments__load");
    if (!button) return;
    var box = button.parentNode.querySelector(".giscus");
    button.addEventListener("click", function () {
      var s = doc.createElement("script");
      s.src = "https://giscus.app/client.js";
      var data = {
        repo: button.getAttribute("data-giscus-repo"),
        "repo-id": button.getAttribute("data-giscus-repo-id"),
        category: button.getAttribute("data-giscus-category"),
        "category-id": button.getAttribute("data-giscus-category-id"),
        mapping: button.getAttribute("data-giscus-mapping") || "pathname",
        "reactions-enabled": "1",
        "emit-metadata": "0",
        "input-position": "top",
        theme: giscusTheme(shownTheme()),
        lang: button.getAttribute("data-giscus-lang") || "ko",
        loading: "lazy"
      };
      for (var k in data) s.setAttribute("data-" + k, data[k]);
      s.crossOrigin = "anonymous";
      s.async = true;
      button.hidden = true;
      (box || button.parentNode).appendChild(s);
    });
    doc.addEventListener("awsnotes:theme", function (event) {
      var frame = doc.querySelector("iframe.giscus-frame");
      if (!frame || !frame.contentWindow) return;
      var message = { giscus: { setConfig: { theme: giscusTheme(event.detail.theme) } } };
      frame.contentWindow.postMessage(message, "https://giscus.app");
    });
  }

  function start() {
    initToc();
    initOffline();
    initPrefetch();
    initComments();
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
