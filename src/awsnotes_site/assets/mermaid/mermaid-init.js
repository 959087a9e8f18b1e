/*
 * Draws the page's Mermaid diagrams (pre.mermaid, written by awsnotes-site) with the
 * Mermaid library published inside the site (assets/mermaid/mermaid.min.js, loaded
 * before this file). No network: nothing is fetched from anywhere.
 *
 * - The <pre> keeps the diagram's source; it is what readers without scripts see. Once a
 *   diagram is drawn the <pre> is hidden and the SVG shown in a div.mermaid-diagram
 *   after it.
 * - Light or dark theme follows the page: data-theme on <html> ("dark"/"light"), else
 *   the system's prefers-color-scheme. A change of either draws the diagrams again.
 * - securityLevel "strict": labels cannot run scripts or hold HTML.
 * - A diagram Mermaid cannot parse shows the error text in its place (role="status"),
 *   with its source left visible below.
 */
(function () {
  "use strict";
  var mermaid = window.mermaid;
  var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  if (!mermaid || !blocks.length) return;

  var root = document.documentElement;
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var count = 0;
  var shown = null;
  var queue = Promise.resolve();

  var items = blocks.map(function (pre) {
    var out = document.createElement("div");
    out.className = "mermaid-diagram";
    pre.parentNode.insertBefore(out, pre.nextSibling);
    return { pre: pre, source: pre.textContent, out: out };
  });

  function theme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function showError(item, error) {
    var message = error && error.message ? error.message : String(error);
    var p = document.createElement("p");
    p.className = "mermaid-error";
    p.setAttribute("role", "status");
    p.textContent = "다이어그램을 그리지 못했습니다: " + message;
    item.out.replaceChildren(p);
    item.out.classList.add("mermaid-failed");
    item.pre.hidden = false;
  }

  function draw(item) {
    count += 1;
    return mermaid.render("mermaid-diagram-" + count, item.source).then(
      function (result) {
        item.out.innerHTML = result.svg;
        item.out.classList.remove("mermaid-failed");
        item.pre.hidden = true;
        if (result.bindFunctions) result.bindFunctions(item.out);
      },
      function (error) {
        showError(item, error);
      }
    );
  }

  function drawAll() {
    var wanted = theme();
    if (wanted === shown) return queue;
    shown = wanted;
    queue = queue
      .then(function () {
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: "strict",
          suppressErrorRendering: true,
          theme: wanted === "dark" ? "dark" : "default",
          // the dark theme's edge labels are light grey on mid grey (4:1): darker
          // behind them, so they pass WCAG AA
          themeVariables: wanted === "dark" ? { edgeLabelBackground: "#30363d" } : {},
          fontFamily: window.getComputedStyle(document.body).fontFamily,
        });
        return items.reduce(function (chain, item) {
          return chain.then(function () {
            return draw(item);
          });
        }, Promise.resolve());
      })
      .then(function () {
        // Tests and styles can tell the diagrams are drawn, and in which theme.
        root.setAttribute("data-mermaid", wanted);
      });
    return queue;
  }

  drawAll();
  new MutationObserver(function () {
    drawAll();
  }).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  if (darkQuery) {
    if (darkQuery.addEventListener) darkQuery.addEventListener("change", drawAll);
    else if (darkQuery.addListener) darkQuery.addListener(drawAll);
  }
})();
