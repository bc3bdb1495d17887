/* The site's search: reads ?q= from the address, finds it with MiniSearch in the index
   that assets/search-index.js defines (window.FITSM_SEARCH, one entry per section of a
   document), and lists the matching documents with their matching sections.
   Results are built as DOM nodes with textContent: nothing from the index or the query
   is ever parsed as HTML. */
(function () {
  "use strict";
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var box = document.getElementById("search-box");
  var entries = window.FITSM_SEARCH;
  if (!status || !list || !entries || !window.MiniSearch) { return; }

  /* Words, with ids kept whole: "PR9.3" stays one term, so it does not match PR9.1. */
  function words(text) {
    return String(text).match(/[\p{L}\p{N}]+(?:[.\-_][\p{L}\p{N}]+)*/gu) || [];
  }

  /* The index has ids whole and in parts too, so "HPC" finds SLA-HPC; a query keeps
     them whole, so "PR9.3" does not also look for "PR9". */
  function tokenize(text) {
    var terms = [];
    words(text).forEach(function (word) {
      terms.push(word);
      if (/[.\-_]/.test(word)) {
        word.split(/[.\-_]/).forEach(function (part) {
          if (part.length > 1 && !/^\d+$/.test(part)) { terms.push(part); }
        });
      }
    });
    return terms;
  }

  var search = new window.MiniSearch({
    fields: ["title", "doc", "addresses", "section", "text"],
    storeFields: [],
    tokenize: tokenize,
    searchOptions: {
      /* A section that says it addresses a requirement answers a search for its id
         better than one that only names it (a matrix row, an assessment score). */
      boost: { addresses: 6, doc: 4, title: 3, section: 2 },
      prefix: function (term) { return term.length > 2; },
      fuzzy: function (term) { return term.length > 5 ? 0.2 : false; },
      combineWith: "AND",
      tokenize: words
    }
  });
  search.addAll(entries.map(function (entry, index) {
    return {
      id: index, title: entry.title, doc: entry.doc, addresses: entry.addresses, section: entry.section, text: entry.text
    };
  }));

  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (box) { box.value = query; }
  if (!query) { return; }

  var hits = search.search(query);
  if (hits.length === 0) { hits = search.search(query, { combineWith: "OR" }); }

  /* One result per document, in the order of its best section; up to five sections. */
  var documents = [];
  var byPage = {};
  hits.forEach(function (hit) {
    var entry = entries[hit.id];
    var page = entry.href.split("#")[0];
    var found = byPage[page];
    if (!found) {
      found = { entry: entry, page: page, sections: [], terms: hit.terms };
      byPage[page] = found;
      documents.push(found);
    }
    if (found.sections.length < 5) { found.sections.push({ entry: entry, terms: hit.terms }); }
  });

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  /* About 200 characters of the section around the first term that matched, with
     every matched term marked: text nodes and <mark> elements, never HTML. */
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var words = terms.map(function (term) { return term.toLowerCase(); }).filter(function (term) { return term; });
    var at = -1;
    words.forEach(function (term) {
      var position = lower.indexOf(term);
      if (position >= 0 && (at < 0 || position < at)) { at = position; }
    });
    var start = Math.max(0, at - 80);
    var end = Math.min(text.length, start + 200);
    var node = element("p", "search-snippet");
    if (start > 0) { node.appendChild(document.createTextNode("… ")); }
    var position = start;
    while (position < end) {
      var next = -1;
      var length = 0;
      words.forEach(function (term) {
        var found = lower.indexOf(term, position);
        if (found >= 0 && found < end && (next < 0 || found < next || (found === next && term.length > length))) {
          next = found;
          length = term.length;
        }
      });
      if (next < 0) { next = end; }
      if (next > position) { node.appendChild(document.createTextNode(text.slice(position, next))); }
      if (next >= end) { break; }
      node.appendChild(element("mark", "search-hit", text.slice(next, Math.min(end, next + length))));
      position = next + length;
    }
    if (end < text.length) { node.appendChild(document.createTextNode(" …")); }
    return node;
  }

  documents.forEach(function (found) {
    var item = element("li", "search-result");
    var heading = element("p", "search-document");
    var link = element("a", null, found.entry.title);
    link.href = found.page;
    heading.appendChild(link);
    if (found.entry.doc) { heading.appendChild(element("span", "doc-id", found.entry.doc)); }
    item.appendChild(heading);
    var sections = element("ul", "search-sections");
    found.sections.forEach(function (section) {
      if (!section.entry.section) { return; }
      var row = element("li");
      var sectionLink = element("a", null, section.entry.section);
      sectionLink.href = section.entry.href;
      row.appendChild(sectionLink);
      if (section.entry.text) { row.appendChild(snippet(section.entry.text, section.terms)); }
      sections.appendChild(row);
    });
    if (sections.childNodes.length) { item.appendChild(sections); }
    list.appendChild(item);
  });
  var count = documents.length;
  status.textContent = count === 0
    ? "No document matches “" + query + "”."
    : (count === 1 ? "1 document matches “" : count + " documents match “") + query + "”.";
})();
