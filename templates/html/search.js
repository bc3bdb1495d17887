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

  /* Words, and ids kept whole as well as in parts: "PR9.3" stays one term (so it does
     not match PR9.1), "SLA-HPC" is found as itself and as "HPC". */
  function tokenize(text) {
    var terms = [];
    var words = String(text).match(/[\p{L}\p{N}]+(?:[.\-_][\p{L}\p{N}]+)*/gu) || [];
    words.forEach(function (word) {
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
    fields: ["title", "doc", "section", "text"],
    storeFields: [],
    tokenize: tokenize,
    searchOptions: {
      boost: { doc: 4, title: 3, section: 2 },
      prefix: function (term) { return term.length > 2; },
      fuzzy: function (term) { return term.length > 5 ? 0.2 : false; },
      combineWith: "AND"
    }
  });
  search.addAll(entries.map(function (entry, index) {
    return { id: index, title: entry.title, doc: entry.doc, section: entry.section, text: entry.text };
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

  /* About 200 characters of the section around the first term that matched. */
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = -1;
    terms.forEach(function (term) {
      var position = lower.indexOf(term.toLowerCase());
      if (position >= 0 && (at < 0 || position < at)) { at = position; }
    });
    var start = Math.max(0, at - 80);
    var piece = text.slice(start, start + 200);
    return (start > 0 ? "… " : "") + piece + (start + 200 < text.length ? " …" : "");
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
      if (section.entry.text) { row.appendChild(element("p", "search-snippet", snippet(section.entry.text, section.terms))); }
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
