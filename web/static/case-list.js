// zhifa: the case list. On a phone the filter form starts folded under its
// summary (筛选条件（N项）), so the totals and the cards come first; the form
// is open without JavaScript, on a wide screen, and when the page reports a
// condition it ignored.
"use strict";
(function () {
  var box = document.querySelector("details.case-filters");
  if (box && !box.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 640px)").matches) {
    box.open = false;
  }
})();
