/*
 * awsnotes-site: reader features.  Vanilla JavaScript, loaded with `defer`, no
 * dependencies and no network requests.
 *
 *  - theme toggle (#theme-toggle): data-theme on <html>, remembered in localStorage
 *    ("awsnotes-theme"); base.html's inline script applies it before the first paint
 *  - a copy button on every code block (div.highlight), line numbers left out
 *  - image zoom for figure images and img.img-zoomable, in a modal <dialog>
 *  - "/" focuses the header search box
 *  - the table of contents marks the section being read
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var THEME_KEY = "awsnotes-theme";

  // The interface text: Korean unless the page carries its own (#ui-strings, as JSON).
  var T = {
    copy: "복사",
    copied: "복사됨",
    copy_failed: "복사 실패",
    copy_failed_long: "복사하지 못했습니다. 코드를 직접 선택해 복사하세요.",
    code: "코드 ",
    close: "닫기",
    zoomed: "확대한 이미지",
    zoom: "이미지 확대"
  };
  (function () {
    var el = doc.getElementById("ui-strings");
    if (!el) return;
    try {
      var given = JSON.parse(el.textContent);
      for (var k in given) if (Object.prototype.hasOwnProperty.call(given, k)) T[k] = given[k];
    } catch (e) {
      /* keep the defaults */
    }
  })();

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  // ------------------------------------------------------------ live region

  var live = null;
  var liveTimer = 0;

  function liveRegion() {
    if (!live) {
      live = doc.createElement("div");
      live.className = "visually-hidden";
      live.id = "site-live-region";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      live.setAttribute("aria-atomic", "true");
      (doc.getElementById("main") || doc.body).appendChild(live);
    }
    return live;
  }

  function announce(message) {
    var region = liveRegion();
    // Clear first so the same message is read again when it repeats.
    region.textContent = "";
    clearTimeout(liveTimer);
    liveTimer = setTimeout(function () {
      region.textContent = message;
    }, 60);
  }

  // ------------------------------------------------------------- theme toggle

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function shownTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function syncToggle() {
    var button = doc.getElementById("theme-toggle");
    if (!button) return;
    var dark = shownTheme() === "dark";
    // aria-pressed says whether dark is on.  The label naming the mode a press switches
    // to is chosen by the style sheet from the same state (both labels are in the page),
    // so it is right at the first paint and the button never changes size.
    button.setAttribute("aria-pressed", dark ? "true" : "false");
    var title = button.getAttribute(dark ? "data-title-light" : "data-title-dark");
    if (title) button.title = title;
    var event;
    try {
      event = new CustomEvent("awsnotes:theme", { detail: { theme: dark ? "dark" : "light" } });
    } catch (e) {
      return;
    }
    doc.dispatchEvent(event);
  }

  function setTheme(theme) {
    root.setAttribute("data-theme", theme);
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch (e) {
      /* storage may be disabled; the choice then lasts for this page only */
    }
    syncToggle();
  }

  function initTheme() {
    var button = doc.getElementById("theme-toggle");
    if (!button) return;
    syncToggle();
    button.addEventListener("click", function () {
      setTheme(shownTheme() === "dark" ? "light" : "dark");
    });
    if (darkQuery) {
      var onChange = function () {
        syncToggle();
      };
      if (darkQuery.addEventListener) darkQuery.addEventListener("change", onChange);
      else if (darkQuery.addListener) darkQuery.addListener(onChange);
    }
    // Another tab changed the theme: follow it.
    window.addEventListener("storage", function (event) {
      if (event.key !== THEME_KEY) return;
      if (event.newValue === "dark" || event.newValue === "light") {
        root.setAttribute("data-theme", event.newValue);
      } else {
        root.removeAttribute("data-theme");
      }
      syncToggle();
    });
  }

  // ------------------------------------------------------------- copy buttons

  function codeElement(block) {
    return (
      block.querySelector("td.lntd:not(.lnt-cell) pre > code") ||
      block.querySelector("td.lntd:not(.lnt-cell) code") ||
      block.querySelector("pre > code") ||
      block.querySelector("pre")
    );
  }

  // The code exactly as written: the text of the `.cl` spans (line numbers live in
  // `.ln` / `.lnt`, which are left out), without the final newline the renderer adds.
  function codeText(block) {
    var code = codeElement(block);
    if (!code) return "";
    var parts = code.querySelectorAll(".cl");
    var text;
    if (parts.length) {
      text = "";
      each(parts, function (part) {
        text += part.textContent;
      });
    } else {
      var copy = code.cloneNode(true);
      each(copy.querySelectorAll(".ln, .lnt"), function (el) {
        el.parentNode.removeChild(el);
      });
      text = copy.textContent;
    }
    return text.replace(/\n$/, "");
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var active = doc.activeElement;
      var area = doc.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.setAttribute("aria-hidden", "true");
      area.style.position = "fixed";
      area.style.top = "0";
      area.style.left = "0";
      area.style.width = "1px";
      area.style.height = "1px";
      area.style.opacity = "0";
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = doc.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      doc.body.removeChild(area);
      if (active && active.focus) active.focus({ preventScroll: true });
      if (ok) resolve();
      else reject(new Error("copy failed"));
    });
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return legacyCopy(text);
      });
    }
    return legacyCopy(text);
  }

  function addCopyButton(block) {
    if (block.querySelector(":scope > .code-toolbar")) return;
    var code = codeElement(block);
    if (!code) return;

    var bar = doc.createElement("div");
    bar.className = "code-toolbar";

    var lang = (code.getAttribute("data-lang") || "").trim();
    if (lang && lang !== "text") {
      var langEl = doc.createElement("span");
      langEl.className = "code-lang";
      langEl.textContent = lang;
      bar.appendChild(langEl);
    }

    var button = doc.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    var hidden = doc.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = T.code;
    var label = doc.createElement("span");
    label.className = "code-copy__label";
    label.textContent = T.copy;
    button.appendChild(hidden);
    button.appendChild(label);
    bar.appendChild(button);

    var resetTimer = 0;
    button.addEventListener("click", function () {
      clearTimeout(resetTimer);
      copyText(codeText(block)).then(
        function () {
          label.textContent = T.copied;
          button.classList.add("is-copied");
          announce(T.copied);
        },
        function () {
          label.textContent = T.copy_failed;
          announce(T.copy_failed_long);
        }
      ).then(function () {
        resetTimer = setTimeout(function () {
          label.textContent = T.copy;
          button.classList.remove("is-copied");
        }, 2000);
      });
    });

    block.insertBefore(bar, block.firstChild);
  }

  function initCopy() {
    each(doc.querySelectorAll("div.highlight"), addCopyButton);
  }

  // --------------------------------------------------------------- image zoom

  var zoom = null; // {dialog, img, caption, close, trigger, open}
  var SCROLL_KEYS = ["PageDown", "PageUp", "ArrowDown", "ArrowUp", "Home", "End"];

  function captionFor(img) {
    var figure = img.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    return caption ? caption.textContent.trim() : "";
  }

  function buildZoomDialog() {
    var dialog = doc.createElement("dialog");
    dialog.className = "zoom-dialog";
    dialog.setAttribute("aria-modal", "true");
    if (typeof dialog.showModal !== "function") dialog.setAttribute("role", "dialog");

    var close = doc.createElement("button");
    close.type = "button";
    close.className = "zoom-dialog__close";
    close.textContent = T.close;

    var img = doc.createElement("img");
    img.className = "zoom-dialog__img";
    img.alt = "";

    var caption = doc.createElement("p");
    caption.className = "zoom-dialog__caption";
    caption.id = "zoom-dialog-caption";

    dialog.appendChild(close);
    dialog.appendChild(img);
    dialog.appendChild(caption);
    doc.body.appendChild(dialog);

    zoom = { dialog: dialog, img: img, caption: caption, close: close, trigger: null, open: false };

    // Any click (the picture, the backdrop, the button) closes; so does scrolling with
    // the wheel or a finger (a page scroll alone is not used: lazy images loading
    // above move the page on their own).
    dialog.addEventListener("click", function () {
      closeZoom();
    });
    // Escape: the browser fires "cancel" on a modal dialog; close our way instead.
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      closeZoom();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        event.preventDefault();
        closeZoom();
      } else if (SCROLL_KEYS.indexOf(event.key) >= 0) {
        // Trying to scroll the page (like the wheel) closes the picture.
        event.preventDefault();
        closeZoom();
      } else if (event.key === "Tab") {
        // The close button is the only control: keep focus on it.
        event.preventDefault();
        close.focus();
      }
    });
    dialog.addEventListener("wheel", closeZoom, { passive: true });
    dialog.addEventListener("touchmove", closeZoom, { passive: true });
    dialog.addEventListener("close", function () {
      if (zoom.open) finishClose();
    });
    return zoom;
  }

  function openZoom(trigger) {
    var z = zoom || buildZoomDialog();
    if (z.open) return;
    var alt = trigger.getAttribute("alt") || "";
    var caption = captionFor(trigger);
    z.trigger = trigger;
    z.img.src = trigger.getAttribute("data-full") || trigger.currentSrc || trigger.src;
    z.img.alt = alt;
    z.caption.textContent = caption && caption !== alt ? caption : "";
    z.caption.hidden = !z.caption.textContent;
    z.dialog.setAttribute("aria-label", alt ? T.zoomed + ": " + alt : T.zoomed);
    z.open = true;
    if (typeof z.dialog.showModal === "function") {
      z.dialog.showModal();
    } else {
      z.dialog.setAttribute("open", "");
    }
    z.close.focus({ preventScroll: true });
    doc.addEventListener("focusin", keepFocusInside);
  }

  function keepFocusInside(event) {
    if (zoom && zoom.open && !zoom.dialog.contains(event.target)) {
      zoom.close.focus({ preventScroll: true });
    }
  }

  function finishClose() {
    var z = zoom;
    z.open = false;
    doc.removeEventListener("focusin", keepFocusInside);
    if (z.trigger) z.trigger.focus({ preventScroll: true });
  }

  function closeZoom() {
    var z = zoom;
    if (!z || !z.open) return;
    if (z.dialog.open && typeof z.dialog.close === "function") {
      z.dialog.close(); // fires "close", which finishes
      if (z.open) finishClose();
    } else {
      z.dialog.removeAttribute("open");
      finishClose();
    }
  }

  function makeZoomable(img) {
    if (img.classList.contains("is-zoomable") || img.closest("a, button, dialog")) return;
    var alt = (img.getAttribute("alt") || "").trim();
    img.classList.add("is-zoomable");
    img.setAttribute("tabindex", "0");
    img.setAttribute("role", "button");
    img.setAttribute("aria-haspopup", "dialog");
    img.setAttribute("aria-label", alt ? T.zoom + ": " + alt : T.zoom);
    img.addEventListener("click", function (event) {
      event.preventDefault();
      openZoom(img);
    });
    img.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        openZoom(img);
      } else if (event.key === " " || event.key === "Spacebar") {
        event.preventDefault(); // no page scroll; open on keyup like a real button
      }
    });
    img.addEventListener("keyup", function (event) {
      if (event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        openZoom(img);
      }
    });
  }

  function initZoom() {
    each(doc.querySelectorAll("figure img, img.img-zoomable"), makeZoomable);
  }

  // --------------------------------------------------------- "/" to search

  function isTypingTarget(el) {
    if (!el || el === doc.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      return ["button", "checkbox", "radio", "submit", "reset", "image", "range", "color", "file"]
        .indexOf(type) < 0;
    }
    return false;
  }

  function initSearchKey() {
    doc.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.defaultPrevented || event.isComposing) return;
      if (isTypingTarget(event.target) || isTypingTarget(doc.activeElement)) return;
      if (zoom && zoom.open) return;
      var input = doc.getElementById("site-search-input");
      if (!input) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  // ------------------------------------------------------- TOC highlighting

  function initToc() {
    var toc = doc.querySelector("aside.toc");
    var content = doc.querySelector(".note-content");
    if (!toc || !content || !("IntersectionObserver" in window)) return;

    var linkById = {};
    each(toc.querySelectorAll('a[href^="#"]'), function (a) {
      var id = a.getAttribute("href").slice(1);
      try {
        id = decodeURIComponent(id);
      } catch (e) {
        /* keep it as written */
      }
      linkById[id] = a;
    });

    var headings = [];
    each(content.querySelectorAll("h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]"), function (h) {
      if (linkById[h.id]) headings.push(h);
    });
    if (!headings.length) return;

    var current = null;
    var frame = 0;

    function setActive(link) {
      if (link === current) return;
      if (current) {
        current.classList.remove("active");
        current.removeAttribute("aria-current");
      }
      current = link;
      if (!link) return;
      link.classList.add("active");
      link.setAttribute("aria-current", "true");
      // Keep the marked entry visible when the TOC itself scrolls (wide screens).
      if (toc.scrollHeight > toc.clientHeight + 1) {
        var top = link.offsetTop - toc.offsetTop;
        if (top < toc.scrollTop || top > toc.scrollTop + toc.clientHeight - link.offsetHeight) {
          toc.scrollTop = Math.max(0, top - toc.clientHeight / 3);
        }
      }
    }

    function update() {
      frame = 0;
      // A section is "being read" once its heading has reached the top tenth of the
      // window (the same band the observer below watches).
      var line = window.innerHeight * 0.1;
      var active = null;
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getBoundingClientRect().top <= line + 1) active = headings[i];
        else break;
      }
      // At the very bottom the last sections may never reach the line: take the last
      // heading that is on screen.
      var scroller = doc.scrollingElement || root;
      if (scroller.scrollTop > 0 &&
          window.innerHeight + scroller.scrollTop >= scroller.scrollHeight - 2) {
        for (var j = headings.length - 1; j >= 0; j--) {
          var top = headings[j].getBoundingClientRect().top;
          if (top < window.innerHeight && top >= 0) {
            active = headings[j];
            break;
          }
        }
      }
      setActive(active ? linkById[active.id] : null);
    }

    function schedule() {
      if (!frame) frame = requestAnimationFrame(update);
    }

    var observer = new IntersectionObserver(schedule, {
      rootMargin: "0px 0px -90% 0px",
      threshold: [0, 1]
    });
    headings.forEach(function (h) {
      observer.observe(h);
    });
    // The end of the note coming into view (the "at the bottom" case above).
    var end = doc.querySelector(".note-footer") || content;
    new IntersectionObserver(schedule).observe(end);
    schedule();
  }

  // -------------------------------------------- wide tables can be scrolled

  function initTables() {
    var tables = doc.querySelectorAll(".note-content table:not(.lntable)");
    if (!tables.length) return;
    function check() {
      each(tables, function (table) {
        if (table.scrollWidth > table.clientWidth + 1) {
          if (!table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
        } else if (table.getAttribute("tabindex") === "0") {
          table.removeAttribute("tabindex");
        }
      });
    }
    check();
    var timer = 0;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 150);
    });
  }

  // ------------------------------------------------------------------- embeds
  // Third-party players (YouTube, Vimeo, gists, X, Instagram) are placeholders until the
  // reader presses "불러오기": only then is the player's <iframe> made, from data-embed
  // (an https URL written by the build), titled for screen readers and focused.

  function loadEmbed(box) {
    var src = box.getAttribute("data-embed") || "";
    if (!/^https:\/\//.test(src)) return;
    var frame = doc.createElement("iframe");
    frame.className = "embed-frame";
    frame.src = src;
    frame.title = box.getAttribute("data-embed-title") || "외부 콘텐츠";
    frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    if (box.style.aspectRatio) frame.style.aspectRatio = box.style.aspectRatio;
    box.replaceChildren(frame);
    box.classList.add("embed-loaded");
    frame.focus();
    announce(frame.title + " 불러옴");
  }

  function initEmbeds() {
    doc.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest(".embed-load") : null;
      var box = button ? button.closest(".embed[data-embed]") : null;
      if (box) loadEmbed(box);
    });
  }

  // ------------------------------------------------------------------- start

  function start() {
    liveRegion();
    initTheme();
    initCopy();
    initZoom();
    initSearchKey();
    initToc();
    initTables();
    initEmbeds();
  }

  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
