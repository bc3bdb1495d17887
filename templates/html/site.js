/* Opens the document menu (a <details>) on wide screens, where it is a sidebar; on a
   phone it stays a button so the page starts with the document. Loaded right after the
   menu, so it runs before the page is first shown. Without JavaScript the menu is a
   button everywhere. */
(function () {
  "use strict";
  var menu = document.querySelector(".nav-menu");
  if (menu && window.matchMedia("(min-width: 50.01rem)").matches) { menu.open = true; }
})();
