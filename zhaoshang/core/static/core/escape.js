// The one helper for HTML built from data in the browser. ECharts tooltips (and any other formatter returning
// HTML) show names officers type — parks, projects, enterprises, regions — so every value put into such HTML goes
// through escapeHtml. Loaded once, by base.html, before every page's scripts. Text set with textContent, new Option()
// or ECharts labels drawn on the canvas needs no escaping. core/tests/test_csp.py checks the scripts use it.
(function () {
  "use strict";
  const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
  }
  window.escapeHtml = escapeHtml;
})();
