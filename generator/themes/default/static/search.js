/* The search page. Reads the index that search-index.js assigned to window.LIBRARY_SEARCH
   (a plain script, so it loads from file:// too), finds every item that contains each
   word of the query as a substring (Chinese has no spaces to split words on), ranks title
   matches over keyword matches over body matches, and lists the results as links.

   Indexed text is teacher input: it only ever reaches the page as DOM text nodes. */
(function () {
  "use strict";

  var MAX_SHOWN = 100;
  var SNIPPET = 40; // characters of body text either side of the first match
  var WEIGHTS = { title: 10, keys: 4, body: 1 };

  // Only A–Z change, so a position in the folded text is the same position in the original.
  function fold(text) {
    return text.replace(/[A-Z]+/g, function (s) { return s.toLowerCase(); });
  }

  function words(query) {
    return fold(query).split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  var data = window.LIBRARY_SEARCH || { kinds: {}, items: [] };
  var items = data.items.map(function (row, order) {
    return {
      kind: row[0], title: row[1], url: row[2], where: row[3], keys: row[4], body: row[5],
      order: order,
      folded: { title: fold(row[1]), keys: fold(row[4]), body: fold(row[5]) }
    };
  });

  /* Every item containing all the words, best first: per word, the weight of the best
     field it is in; a title that is the whole query, or starts with it, ranks higher. */
  function search(query) {
    var ws = words(query);
    if (ws.length === 0) return [];
    var whole = ws.join(" ");
    var found = [];
    for (var i = 0; i < items.length; i++) {
      var f = items[i].folded, score = 0;
      for (var j = 0; j < ws.length; j++) {
        var w = ws[j];
        var best = f.title.indexOf(w) >= 0 ? WEIGHTS.title
          : f.keys.indexOf(w) >= 0 ? WEIGHTS.keys
          : f.body.indexOf(w) >= 0 ? WEIGHTS.body : 0;
        if (best === 0) { score = 0; break; }
        score += best;
      }
      if (score === 0) continue;
      if (f.title === whole) score += 20;
      else if (f.title.indexOf(whole) === 0) score += 5;
      found.push({ item: items[i], score: score });
    }
    found.sort(function (a, b) { return b.score - a.score || a.item.order - b.item.order; });
    return found;
  }

  // [start, end) of every occurrence of every word, merged where they overlap.
  function ranges(text, ws) {
    var folded = fold(text), spans = [];
    ws.forEach(function (w) {
      for (var at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + w.length)) {
        spans.push([at, at + w.length]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([s[0], s[1]]);
    });
    return merged;
  }

  function highlighted(text, ws) {
    var fragment = document.createDocumentFragment(), at = 0;
    ranges(text, ws).forEach(function (r) {
      if (r[0] > at) fragment.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.appendChild(document.createTextNode(text.slice(r[0], r[1])));
      fragment.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) fragment.appendChild(document.createTextNode(text.slice(at)));
    return fragment;
  }

  // The part of the body around its first match; the start of the body if none.
  function snippet(body, ws) {
    var r = ranges(body, ws)[0];
    var start = r ? Math.max(0, r[0] - SNIPPET) : 0;
    var end = Math.min(body.length, (r ? r[1] : 0) + SNIPPET);
    return (start > 0 ? "…" : "") + body.slice(start, end) + (end < body.length ? "…" : "");
  }

  function element(tag, className, child) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (child) el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    return el;
  }

  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("search-q");
  // The index's links are relative to the site root; this page's link to the home page
  // says where the root is from here.
  var root = list.getAttribute("data-home").replace(/index\.html$/, "");

  function show(query) {
    var ws = words(query), found = search(query);
    while (list.firstChild) list.removeChild(list.firstChild);
    found.slice(0, MAX_SHOWN).forEach(function (hit) {
      var item = hit.item, li = element("li", "search-result");
      var link = element("a", "", highlighted(item.title, ws));
      link.href = root + item.url;
      var head = element("p", "result-title");
      head.appendChild(element("span", "badge", data.kinds[item.kind] || item.kind));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(link);
      li.appendChild(head);
      if (item.where) li.appendChild(element("p", "result-where", item.where));
      var more = item.keys && ranges(item.keys, ws).length ? item.keys : "";
      if (more) li.appendChild(element("p", "result-keys", highlighted(more, ws)));
      if (item.body) li.appendChild(element("p", "result-body", highlighted(snippet(item.body, ws), ws)));
      list.appendChild(li);
    });
    list.hidden = found.length === 0;
    if (ws.length === 0) status.textContent = say("empty", {});
    else if (found.length === 0) status.textContent = say("none", { query: query.trim() });
    else if (found.length > MAX_SHOWN) {
      status.textContent = say("more", { n: found.length, max: MAX_SHOWN });
    } else status.textContent = say("found", { n: found.length });
  }

  // The sentences come from the page (data-say-*), in the site's language; {n}, {max} and
  // {query} in them are filled in here. One pass, so a query containing "{n}" stays as typed.
  function say(name, values) {
    return list.getAttribute("data-say-" + name).replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  // ↓ from the box goes to the first result; ↓ ↑ Home End move between results.
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links(), at = all.indexOf(document.activeElement), to = -1;
    if (at < 0) return;
    if (event.key === "ArrowDown") to = Math.min(at + 1, all.length - 1);
    else if (event.key === "ArrowUp") to = at - 1;
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = all.length - 1;
    else return;
    event.preventDefault();
    (to >= 0 ? all[to] : input).focus();
  });
  input.addEventListener("input", function () { show(input.value); });

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  show(query);

  window.LibrarySearch = { search: search };
})();
