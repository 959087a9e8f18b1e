/* Korean full-text search for awsnotes-site (no dependencies).
 *
 * The index (a manifest, search-index.json, naming its shards, search-index/NN.json) and
 * the algorithm are described in src/awsnotes_site/search.py, whose search() is the
 * reference this file follows: in every shard, candidates from syllable-bigram / word
 * keys, then verification in each note's text (as written, with spaces ignored, by
 * initial consonants); then one ranking of all shards' hits: terms found in the title
 * first, then the score (more and closer matches), then the newer note, then the URL.
 *
 * On the search page it reads the manifest URL from #search-input[data-index], fetches
 * the shards it names (in parallel, relative to the manifest), takes the query from ?q=,
 * searches as you type and renders into #search-results / #search-status.
 * Note text is only ever inserted with textContent and DOM nodes.
 * window.AwsnotesSearch exposes fetchIndex / load / search / render for tests and the
 * benchmark.
 */
(function () {
  "use strict";

  var GRAM_RANGES = "\\u1100-\\u11ff\\u3040-\\u30ff\\u3131-\\u318e\\u3400-\\u4dbf" +
    "\\u4e00-\\u9fff\\uac00-\\ud7a3\\uf900-\\ufaff";
  var GRAM_CHAR = new RegExp("[" + GRAM_RANGES + "]");
  var RUNS = new RegExp("[" + GRAM_RANGES + "]+|(?:(?![" + GRAM_RANGES + "])[\\p{L}\\p{N}])+", "gu");
  var SURROGATE = /[\ud800-\udfff]/g;
  var INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
  var SPACES = /[\s\x1c-\x1f\x85]+/g;
  var SYLLABLE = /[\uac00-\ud7a3]/;
  var CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";

  var VERSION = 2;
  var MAX_TERMS = 10;
  var MAX_TERM_CHARS = 64;
  var MAX_HITS = 10;
  var COUNT_CAP = 10;
  var TAG_BONUS = 8;
  var PROXIMITY_MAX = 32;
  var PAGE_SIZE = 20;
  var SNIPPET_BEFORE = 40;
  var SNIPPET_LENGTH = 160;
  var CACHE_LIMIT = 4000;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var HAS = Object.prototype.hasOwnProperty;
  var DIGIT = new Int8Array(128).fill(-1);
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charCodeAt(d)] = d;

  // -- text ----------------------------------------------------------------------------
  function clean(s) {
    return String(s).replace(SURROGATE, "\ufffd").normalize("NFC")
      .replace(INVISIBLE, "").replace(SPACES, " ").trim();
  }

  // Lower case without changing the length, so positions stay valid for the original.
  function fold(s) {
    var low = s.toLowerCase();
    if (low.length === s.length) return low;
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s[i], l = c.toLowerCase();
      out += l.length === 1 ? l : c;
    }
    return out;
  }

  function isGram(ch) { return GRAM_CHAR.test(ch); }

  // One searchable string of a note; its views are built when first needed.
  function Field(text) {
    this.text = text;
    this.folded = fold(text);
    this.compact = null;
    this.choseong = null;
    this.where = null;
    this.codes = null;
  }
  var UTF16 = typeof TextDecoder === "function" ? new TextDecoder("utf-16le", { ignoreBOM: true }) : null;
  var CHOSEONG_CODES = new Uint16Array(19);
  for (var c = 0; c < 19; c++) CHOSEONG_CODES[c] = CHOSEONG.charCodeAt(c);

  function codesToString(codes) {
    if (UTF16) return UTF16.decode(codes);
    var out = "";
    for (var i = 0; i < codes.length; i += 8192) {
      out += String.fromCharCode.apply(null, codes.subarray(i, i + 8192));
    }
    return out;
  }

  // Views without spaces ("compact"; "choseong": syllables as initial consonants) and,
  // for each of their characters, its position in the field (shared by both views).
  Field.prototype.view = function (kind) {
    if (kind === "literal") return this.folded;
    if (this.where === null) {
      var s = this.folded, n = s.length, where = new Int32Array(n);
      var compact = new Uint16Array(n), j = 0;
      for (var i = 0; i < n; i++) {
        var code = s.charCodeAt(i);
        if (code !== 32) { where[j] = i; compact[j++] = code; }
      }
      this.where = where;
      this.codes = compact.subarray(0, j);
      this.compact = j === n ? s : codesToString(this.codes);
    }
    if (kind === "compact") return this.compact;
    if (this.choseong === null) {
      var src = this.codes, cho = new Uint16Array(src.length);
      for (var k = 0; k < src.length; k++) {
        var ch = src[k];
        cho[k] = ch >= 0xac00 && ch <= 0xd7a3 ? CHOSEONG_CODES[((ch - 0xac00) / 588) | 0] : ch;
      }
      this.choseong = codesToString(cho);
      this.codes = null;
    }
    return this.choseong;
  };

  // -- the index -----------------------------------------------------------------------
  function checked(data, what) {
    if (!data || data.version !== VERSION) {
      throw new Error(what + ": search index version " + (data && data.version) + " is not " + VERSION);
    }
    return data;
  }

  // The index from the parsed manifest and its parsed shards (in the manifest's order).
  function load(manifest, shards) {
    checked(manifest, "manifest");
    if (!Array.isArray(shards) || shards.length !== manifest.shards.length) {
      throw new Error("the manifest names " + manifest.shards.length + " shards");
    }
    return {
      suffixes: manifest.suffixes || [],
      shards: shards.map(function (data, k) {
        checked(data, manifest.shards[k]);
        return {
          docs: data.docs,
          n: data.docs.length,
          grams: data.grams,
          words: data.words,
          gramList: null,
          wordList: null,
          masks: new Map(),
          fields: new Array(data.docs.length),
        };
      }),
    };
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status + " for " + url);
      return res.json();
    });
  }

  // Fetch the manifest at URL, then all its shards at once: a promise of the index.
  function fetchIndex(url) {
    var base = new URL(url, document.baseURI);
    return getJson(base.href).then(function (manifest) {
      checked(manifest, "manifest");
      return Promise.all(manifest.shards.map(function (path) {
        return getJson(new URL(path, base).href);
      })).then(function (shards) { return load(manifest, shards); });
    });
  }

  function fieldsOf(shard, id) {
    var f = shard.fields[id];
    if (!f) {
      var doc = shard.docs[id];
      f = shard.fields[id] = {
        title: new Field(doc.title),
        text: new Field(doc.text),
        tags: doc.tags.map(function (t) { return new Field(t); }),
      };
    }
    return f;
  }

  // Prepare every note's fields in slices of about 8 ms, so the first query is fast too.
  function warm(index, done) {
    var k = 0, id = 0;
    (function slice() {
      var until = Date.now() + 8;
      while (k < index.shards.length && Date.now() < until) {
        var shard = index.shards[k];
        if (id < shard.n) fieldsOf(shard, id++);
        else { k++; id = 0; }
      }
      if (k < index.shards.length) setTimeout(slice, 0);
      else if (done) done();
    })();
  }

  function decodeInto(code, mask, n) {
    var i, k;
    if (code === "*") { mask.fill(1); return; }
    if (code.charCodeAt(0) === 126) { // "~": bitmap, 6 docs per character
      for (k = 1; k < code.length; k++) {
        var bits = DIGIT[code.charCodeAt(k)], base = (k - 1) * 6;
        for (var j = 0; j < 6; j++) if (bits >> j & 1 && base + j < n) mask[base + j] = 1;
      }
      return;
    }
    var prev = -1, value = 0;
    for (i = 0; i < code.length; i++) {
      var v = DIGIT[code.charCodeAt(i)];
      if (v >= 32) value = value * 32 + v - 32;
      else { prev = prev + value * 32 + v + 1; mask[prev] = 1; value = 0; }
    }
  }

  function cached(shard, key, make) {
    var m = shard.masks.get(key);
    if (m === undefined) {
      if (shard.masks.size > CACHE_LIMIT) shard.masks.clear();
      m = make();
      shard.masks.set(key, m);
    }
    return m;
  }

  function keyMask(shard, table, key) {
    return cached(shard, table + "\u0000" + key, function () {
      var mask = new Uint8Array(shard.n);
      if (HAS.call(shard[table], key)) decodeInto(shard[table][key], mask, shard.n);
      return mask;
    });
  }

  function and(a, b) { var r = new Uint8Array(a.length); for (var i = 0; i < a.length; i++) r[i] = a[i] & b[i]; return r; }
  function or(a, b) { var r = new Uint8Array(a.length); for (var i = 0; i < a.length; i++) r[i] = a[i] | b[i]; return r; }

  // Docs that may hold RUN: bigrams of an n-gram run; else every key containing it.
  function runMask(shard, gram, run) {
    if (gram && run.length >= 2) {
      var mask = null;
      for (var i = 0; i + 1 < run.length; i++) {
        var m = keyMask(shard, "grams", run.slice(i, i + 2));
        mask = mask === null ? m : and(mask, m);
      }
      return mask;
    }
    var table = gram ? "grams" : "words";
    return cached(shard, "scan\u0000" + table + "\u0000" + run, function () {
      var list = gram ? (shard.gramList || (shard.gramList = Object.keys(shard.grams)))
        : (shard.wordList || (shard.wordList = Object.keys(shard.words)));
      var out = new Uint8Array(shard.n);
      for (var k = 0; k < list.length; k++) {
        if (list[k].indexOf(run) >= 0) decodeInto(shard[table][list[k]], out, shard.n);
      }
      return out;
    });
  }

  // Mask of docs that may contain VARIANT, or null when its keys narrow nothing.
  function variantMask(shard, variant, choseong) {
    var result = null, m;
    RUNS.lastIndex = 0;
    while ((m = RUNS.exec(variant)) !== null) {
      var run = m[0], gram = isGram(run[0]);
      if (gram && choseong) continue; // initial consonants have no keys
      var mask = runMask(shard, gram, run);
      result = result === null ? mask : and(result, mask);
    }
    return result;
  }

  // -- queries -------------------------------------------------------------------------
  function stripSuffix(term, suffixes) {
    for (var i = 0; i < suffixes.length; i++) {
      var sfx = suffixes[i];
      if (term.length > sfx.length && term.endsWith(sfx)) {
        var stem = term.slice(0, term.length - sfx.length), tail = 0;
        while (tail < stem.length && isGram(stem[stem.length - 1 - tail])) tail++;
        return tail === 0 || tail >= 2 ? stem : null;
      }
    }
    return null;
  }

  function parseQuery(query, suffixes) {
    var terms = [], seen = new Set();
    var parts = fold(clean(query)).split(" ");
    for (var i = 0; i < parts.length && terms.length < MAX_TERMS; i++) {
      var text = parts[i].slice(0, MAX_TERM_CHARS);
      if (!text || seen.has(text)) continue;
      seen.add(text);
      var choseong = !SYLLABLE.test(text) && Array.prototype.some.call(text, function (c) {
        return CHOSEONG.indexOf(c) >= 0;
      });
      var variants = [text];
      if (!choseong) {
        var stem = stripSuffix(text, suffixes || []);
        if (stem) variants.push(stem);
      }
      terms.push({ text: text, choseong: choseong, variants: variants,
        hasGram: Array.prototype.some.call(text, isGram) });
    }
    return terms;
  }

  function find(field, needle, kind, out) {
    var hay = field.view(kind), where = kind === "literal" ? null : field.where;
    var start = hay.indexOf(needle), n = 0;
    while (start >= 0 && n < MAX_HITS) {
      var end = start + needle.length;
      if (where === null) out.push(start, end);
      else out.push(where[start], where[end - 1] + 1);
      n++;
      start = hay.indexOf(needle, end);
    }
    return n;
  }

  // Occurrences as written (rank 1), else in the SECOND view (rank 0); -1: none.
  function findBest(field, needle, second, out) {
    var n = find(field, needle, "literal", out);
    if (n || second === null) return n ? [1, n] : [-1, 0];
    n = find(field, needle, second, out);
    return n ? [0, n] : [-1, 0];
  }

  // Merge the sorted flat range lists A and B (start, end, ...) into one sorted list.
  function mergeSorted(a, b) {
    if (!a.length) return b;
    if (!b.length) return a;
    var out = [], i = 0, j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i] <= b[j])) { out.push(a[i], a[i + 1]); i += 2; }
      else { out.push(b[j], b[j + 1]); j += 2; }
    }
    return out;
  }

  // Score of TERM in FIELD (0: not there) and its ranges as a sorted flat list in OUT[0].
  function locate(field, term, out) {
    var r, found = [];
    if (term.choseong) {
      r = findBest(field, term.text, "choseong", found);
      out[0] = found;
      return (3 + r[0]) * Math.min(r[1], COUNT_CAP);
    }
    var compact = term.hasGram ? "compact" : null;
    var exact = term.variants[0];
    r = findBest(field, exact, exact.length > 1 ? compact : null, found);
    var score = r[1] ? (3 + r[0]) * Math.min(r[1], COUNT_CAP) : 0;
    if (term.variants.length > 1) {
      var stem = term.variants[1], more = [];
      r = findBest(field, stem, stem.length > 1 ? compact : null, more);
      if (r[1]) {
        score += (1 + r[0]) * Math.min(r[1], COUNT_CAP);
        found = mergeSorted(found, more);
      }
    }
    out[0] = found;
    return score;
  }

  // Smallest span of starts holding one occurrence of every term (k sorted lists, one
  // pointer each): {bonus, start, end}.
  function proximity(perTerm) {
    var k = perTerm.length, none = { bonus: 0, start: -1, end: -1 };
    if (k < 2) return none;
    for (var t = 0; t < k; t++) if (!perTerm[t].length) return none;
    var ptr = new Int32Array(k), best = -1, bestStart = -1, bestEnd = -1;
    for (;;) {
      var lo = 0, hi = 0;
      for (t = 1; t < k; t++) {
        var st = perTerm[t][ptr[t]];
        if (st < perTerm[lo][ptr[lo]]) lo = t;
        if (st > perTerm[hi][ptr[hi]]) hi = t;
      }
      var span = perTerm[hi][ptr[hi]] - perTerm[lo][ptr[lo]];
      if (best < 0 || span < best) {
        best = span;
        bestStart = perTerm[lo][ptr[lo]];
        bestEnd = perTerm[hi][ptr[hi] + 1];
      }
      ptr[lo] += 2;
      if (ptr[lo] >= perTerm[lo].length) break;
    }
    return { bonus: Math.max(0, PROXIMITY_MAX - Math.floor(best / 4)), start: bestStart, end: bestEnd };
  }

  function search(index, query) {
    var terms = parseQuery(query, index.suffixes);
    if (!terms.length) return [];
    var hits = [];
    for (var k = 0; k < index.shards.length; k++) searchShard(index.shards[k], k, terms, hits);
    hits.sort(function (a, b) {
      return b.titleHits - a.titleHits || b.score - a.score ||
        (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) ||
        (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);
    });
    return hits;
  }

  // Append SHARD's hits for TERMS to HITS.
  function searchShard(shard, k, terms, hits) {
    var cand = null;
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t], termMask = null, narrows = true;
      for (var v = 0; v < term.variants.length; v++) {
        var m = variantMask(shard, term.variants[v], term.choseong);
        if (m === null) { narrows = false; break; }
        termMask = termMask === null ? m : or(termMask, m);
      }
      if (narrows && termMask !== null) cand = cand === null ? termMask : and(cand, termMask);
    }
    for (var id = 0; id < shard.n; id++) {
      if (cand !== null && !cand[id]) continue;
      var hit = verify(shard, id, terms);
      if (hit) { hit.shard = k; hits.push(hit); }
    }
  }

  function verify(shard, id, terms) {
    var f = fieldsOf(shard, id);
    var titleHits = 0, score = 0, titleRanges = [], perTerm = [], box = [null];
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      var points = locate(f.text, term, box), inText = box[0];
      locate(f.title, term, box);
      var inTitle = box[0], inTag = false;
      for (var g = 0; g < f.tags.length && !inTag; g++) {
        locate(f.tags[g], term, box);
        inTag = box[0].length > 0;
      }
      if (!inTitle.length && !inTag && !inText.length) return null;
      if (inTitle.length) { titleHits++; Array.prototype.push.apply(titleRanges, inTitle); }
      score += points + (inTag ? TAG_BONUS : 0);
      perTerm.push(inText);
    }
    var near = proximity(perTerm), doc = shard.docs[id];
    return { shard: -1, id: id, doc: doc, url: doc.url, date: doc.date, titleHits: titleHits,
      score: score + near.bonus, titleRanges: titleRanges, textRanges: perTerm, near: near };
  }

  // -- snippets and rendering ----------------------------------------------------------
  // Flat [start, end, ...] lists -> sorted, merged [[start, end], ...].
  function merge(lists) {
    var pairs = [];
    lists.forEach(function (l) { for (var i = 0; i < l.length; i += 2) pairs.push([l[i], l[i + 1]]); });
    pairs.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var out = [];
    pairs.forEach(function (p) {
      var last = out[out.length - 1];
      if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
      else out.push([p[0], p[1]]);
    });
    return out;
  }

  // The text around the best match as [[text, marked], ...].
  function snippet(text, hit) {
    var ranges = merge(hit.textRanges);
    // Around the stretch holding every term when it fits, else around the first match.
    var near = hit.near.start >= 0 && hit.near.end - hit.near.start <= SNIPPET_LENGTH - SNIPPET_BEFORE;
    var anchor = near ? hit.near.start : ranges.length ? ranges[0][0] : 0;
    var anchorEnd = near ? hit.near.end : ranges.length ? ranges[0][1] : 0;
    var start = Math.max(0, anchor - SNIPPET_BEFORE);
    if (start > 0) {
      var sp = text.indexOf(" ", start);
      if (sp >= 0 && sp < anchor && sp - start < 15) start = sp + 1;
    }
    var end = Math.min(text.length, Math.max(start + SNIPPET_LENGTH, anchorEnd));
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > anchorEnd && end - back < 15) end = back;
    }
    var parts = [], pos = start;
    for (var i = 0; i < ranges.length; i++) {
      var a = Math.max(ranges[i][0], start), b = Math.min(ranges[i][1], end);
      if (b <= a) continue;
      if (a > pos) parts.push([text.slice(pos, a), false]);
      parts.push([text.slice(a, b), true]);
      pos = b;
    }
    if (pos < end) parts.push([text.slice(pos, end), false]);
    if (start > 0) parts.unshift(["…", false]);
    if (end < text.length) parts.push(["…", false]);
    return parts;
  }

  function appendMarked(el, text, ranges) {
    var pos = 0;
    merge([ranges]).forEach(function (r) {
      if (r[0] > pos) el.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      el.appendChild(mark);
      pos = r[1];
    });
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  // The interface text: Korean unless the page carries its own (#ui-strings, JSON).
  var T = (function () {
    var t = { more: "결과 더 보기", index_failed: "검색 색인을 불러오지 못했습니다.",
      index_loading: "검색 색인을 불러오는 중…", results: "개의 결과", no_results: "결과가 없습니다" };
    var el = document.getElementById("ui-strings");
    try {
      var given = el ? JSON.parse(el.textContent) : {};
      for (var k in given) if (Object.prototype.hasOwnProperty.call(given, k)) t[k] = given[k];
    } catch (e) { /* keep the defaults */ }
    return t;
  })();
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function koreanDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) return "";
    if ((document.documentElement.lang || "ko").slice(0, 2) === "en") {
      return MONTHS[Number(m[2]) - 1] + " " + Number(m[3]) + ", " + m[1];
    }
    return m[1] + "년 " + Number(m[2]) + "월 " + Number(m[3]) + "일";
  }

  function basePath() {
    var base = (document.body && document.body.dataset.base) || "/";
    return base.charAt(base.length - 1) === "/" ? base : base + "/";
  }

  // <li> elements for HITS, as a DocumentFragment.
  function render(index, hits) {
    var frag = document.createDocumentFragment(), base = basePath();
    hits.forEach(function (hit) {
      var doc = index.shards[hit.shard].docs[hit.id];
      var li = document.createElement("li");
      li.className = "search-result";
      var a = document.createElement("a");
      a.className = "search-result__title";
      a.href = base + String(doc.url).replace(/^\/+/, "");
      appendMarked(a, doc.title, hit.titleRanges);
      li.appendChild(a);
      var meta = document.createElement("p");
      meta.className = "search-result__meta";
      if (doc.date) {
        var time = document.createElement("time");
        time.dateTime = doc.date;
        time.textContent = koreanDate(doc.date) || doc.date;
        meta.appendChild(time);
      }
      if (doc.tags.length) {
        var tags = document.createElement("span");
        tags.className = "search-result__tags";
        tags.textContent = doc.tags.map(function (t) { return "#" + t; }).join(" ");
        if (doc.date) meta.appendChild(document.createTextNode(" · "));
        meta.appendChild(tags);
      }
      if (meta.firstChild) li.appendChild(meta);
      var p = document.createElement("p");
      p.className = "search-result__snippet";
      snippet(doc.text, hit).forEach(function (part) {
        if (part[1]) {
          var mark = document.createElement("mark");
          mark.textContent = part[0];
          p.appendChild(mark);
        } else {
          p.appendChild(document.createTextNode(part[0]));
        }
      });
      li.appendChild(p);
      frag.appendChild(li);
    });
    return frag;
  }

  var api = { fetchIndex: fetchIndex, load: load, warm: warm, search: search, render: render,
    snippet: snippet,
    parseQuery: parseQuery, fold: fold, clean: clean, PAGE_SIZE: PAGE_SIZE, VERSION: VERSION };
  window.AwsnotesSearch = api;

  // -- the search page -----------------------------------------------------------------
  function setup() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!input || !list || !input.dataset.index) return;
    var index = null, failed = false, timer = 0, shown = 0, current = [], currentQuery = null;
    var more = document.getElementById("search-more");
    if (!more) { // the template may provide the button; else it goes after the list
      more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.id = "search-more";
      more.textContent = T.more;
      list.parentNode.insertBefore(more, list.nextSibling);
    }
    more.hidden = true;

    function say(text) { if (status) status.textContent = text; }

    function showMore() {
      var next = current.slice(shown, shown + PAGE_SIZE);
      list.appendChild(render(index, next));
      shown += next.length;
      more.hidden = shown >= current.length;
    }

    function updateUrl(q) {
      try {
        var url = new URL(window.location.href);
        if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
        if (url.href !== window.location.href) history.replaceState(history.state, "", url.href);
      } catch (e) { /* an opaque origin has no history to update */ }
    }

    function run() {
      clearTimeout(timer);
      var q = input.value;
      updateUrl(q.trim() ? q : "");
      if (index === null) {
        say(failed ? T.index_failed : (q.trim() ? T.index_loading : ""));
        return;
      }
      if (q === currentQuery) return;
      currentQuery = q;
      current = q.trim() ? search(index, q) : [];
      list.textContent = "";
      shown = 0;
      showMore();
      list.dataset.query = q;
      list.setAttribute("aria-busy", "false");
      if (!q.trim()) say("");
      else say(current.length ? current.length + T.results : T.no_results);
    }

    more.addEventListener("click", showMore);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    if (input.form) {
      input.form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    }
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) input.value = q;
    list.setAttribute("aria-busy", "true");
    fetchIndex(input.dataset.index)
      .then(function (loaded) { index = loaded; run(); warm(index); })
      .catch(function () { failed = true; list.setAttribute("aria-busy", "false"); run(); });
    run();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
