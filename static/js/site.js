// Behaviour every page shares:
// - a form that came back with errors moves focus to its error summary, so a keyboard or
//   screen-reader user starts from the list of what to correct;
// - a table too wide for the screen scrolls in its own region, which a keyboard user must
//   reach to scroll (WCAG 2.1.1): it becomes a named, focusable region, and only then, so
//   tables that fit add no tab stop.
(function () {
  "use strict";

  function scrollableTables() {
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      if (region.scrollWidth <= region.clientWidth || region.hasAttribute("tabindex")) {
        return;
      }
      var caption = region.querySelector("caption");
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    scrollableTables();
  });
  window.addEventListener("resize", scrollableTables);
})();
