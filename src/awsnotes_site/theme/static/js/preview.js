/* Link previews: hovering or focusing a link to another page of this site shows the
 * start of that page's note (its .note-content, fetched from the same site, never from
 * elsewhere). Escape or leaving hides it; the link is described by the preview
 * (aria-describedby) while it shows. Off on touch screens ((hover: none)). */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) return;
  if (window.matchMedia && window.matchMedia("(hover: none)").matches) return;
  var LIMIT = 300;
  var ID = "link-preview";
  var cache = {};
  var box = null;
  var current = null;
  var timer = 0;

  function target(link) {
    var url;
    try {
      url = new URL(link.getAttribute("href"), location.href);
    } catch (e) {
      return null;
    }
    if (url.origin !== location.origin || !/\/$/.test(url.pathname)) return null;
    if (url.pathname === location.pathname) return null;
    return url;
  }

  function excerpt(doc, hash) {
    var content = doc.querySelector(".note-content");
    if (!content) return null;
    var start = null;
    if (hash) {
      try {
        start = doc.getElementById(decodeURIComponent(hash.slice(1)));
      } catch (e) {
        start = null;
      }
    }
    var text = "";
    var node = start && content.contains(start) ? start : content.firstElementChild;
    for (; node && text.length < LIMIT; node = node.nextElementSibling) {
      var clone = node.cloneNode(true);
      var anchors = clone.querySelectorAll ? clone.querySelectorAll(".heading-anchor") : [];
      for (var i = 0; i < anchors.length; i++) anchors[i].remove();
      text += " " + clone.textContent;
    }
    text = text.replace(/\s+/g, " ").trim();
    if (text.length > LIMIT) text = text.slice(0, LIMIT).trim() + "…";
    var title = doc.querySelector(".note-title");
    return { title: title ? title.textContent.trim() : "", text: text };
  }

  function load(url) {
    var key = url.pathname;
    if (!cache[key]) {
      cache[key] = fetch(key, { credentials: "same-origin" })
        .then(function (r) {
          return r.ok ? r.text() : "";
        })
        .then(function (html) {
          return html ? new DOMParser().parseFromString(html, "text/html") : null;
        })
        .catch(function () {
          return null;
        });
    }
    return cache[key].then(function (doc) {
      return doc ? excerpt(doc, url.hash) : null;
    });
  }

  function ensureBox() {
    if (box) return box;
    box = document.createElement("div");
    box.id = ID;
    box.className = "link-preview";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    var s = box.style;
    s.position = "absolute";
    s.zIndex = "50";
    s.maxWidth = "min(28rem, 90vw)";
    s.padding = "0.75rem 1rem";
    s.background = "var(--bg, #fff)";
    s.color = "var(--fg, #1f2328)";
    s.border = "1px solid var(--border, #d0d7de)";
    s.borderRadius = "var(--radius, 8px)";
    s.boxShadow = "0 4px 16px rgba(0, 0, 0, 0.18)";
    s.fontSize = "0.9rem";
    s.lineHeight = "1.6";
    document.body.appendChild(box);
    return box;
  }

  function show(link) {
    var url = target(link);
    if (!url) return;
    current = link;
    load(url).then(function (found) {
      if (current !== link || !found || !found.text) return;
      var el = ensureBox();
      el.textContent = "";
      if (found.title) {
        var strong = document.createElement("strong");
        strong.textContent = found.title;
        strong.style.display = "block";
        el.appendChild(strong);
      }
      var p = document.createElement("p");
      p.style.margin = "0.25rem 0 0";
      p.textContent = found.text;
      el.appendChild(p);
      var rect = link.getBoundingClientRect();
      el.style.left = Math.max(8, rect.left + window.scrollX) + "px";
      el.style.top = rect.bottom + window.scrollY + 6 + "px";
      el.hidden = false;
      link.setAttribute("aria-describedby", ID);
    });
  }

  function hide() {
    clearTimeout(timer);
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    if (box) box.hidden = true;
  }

  function linkOf(event) {
    var el = event.target;
    var link = el && el.closest ? el.closest("a[href]") : null;
    return link && link.closest("main") ? link : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = linkOf(event);
    if (!link || link === current) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      show(link);
    }, 250);
  });
  document.addEventListener("mouseout", function (event) {
    var link = linkOf(event);
    if (link && !link.contains(event.relatedTarget)) hide();
  });
  document.addEventListener("focusin", function (event) {
    var link = linkOf(event);
    if (link) show(link);
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && box && !box.hidden) hide();
  });
})();
