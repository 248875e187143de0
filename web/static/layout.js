// zhifa: the layout on small and large screens; every page works without
// this file (app.css does the layout, this only helps older browsers and
// labels table cells).
"use strict";

// The menu is a row in the header on a wide screen and folds behind 菜单 on
// a phone (a <details>). app.css shows it unfolded on wide screens where the
// browser can style ::details-content; an older browser needs it opened.
(() => {
  const menu = document.querySelector("header details.site-menu");
  if (!menu) return;
  const wide = matchMedia("(min-width: 641px)");
  const fit = () => { menu.open = wide.matches; };
  fit();
  wide.addEventListener("change", fit);
})();

// On a phone a data table reads as a stack of cards, each value after its
// column's head. This copies every column head into data-label on the cells
// below it and marks the table "stacked"; app.css stacks such tables on
// narrow screens only. A table whose page labels its own cells (data-label)
// is left as it is. Without this script a wide table scrolls within itself
// on a phone, never the page.
(() => {
  for (const table of document.querySelectorAll("table.data")) {
    if (table.classList.contains("stacked") || table.querySelector("[data-label]")) continue;
    const head = table.tHead;
    if (!head || head.rows.length !== 1 || table.querySelector("tbody [rowspan]:not([rowspan='1'])")) continue;
    const labels = [];
    for (const th of head.rows[0].cells) {
      for (let i = 0; i < th.colSpan; i++) labels.push(th.innerText.trim());
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let col = 0;
        for (const cell of row.cells) {
          if (cell.tagName === "TD" && cell.colSpan === 1 && labels[col]) cell.dataset.label = labels[col];
          col += cell.colSpan;
        }
      }
    }
    table.classList.add("stacked");
  }
})();
