// Type-ahead pickers: every <select data-picker> becomes a Tom Select that filters its own
// options as one types. The options are the form's, already scoped by the rule set; without
// JavaScript the plain select works as it is.
(function () {
  "use strict";

  function enhance(root) {
    if (typeof TomSelect === "undefined") {
      return;
    }
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      var multiple = select.multiple;
      new TomSelect(select, {
        plugins: multiple ? ["remove_button"] : [],
        maxOptions: null,
        allowEmptyOption: !multiple,
        hidePlaceholder: true,
        placeholder: multiple ? "Type to search and pick" : "Type to search",
      });
      // Tom Select's search box carries the field's label; the select it keeps in sync stays
      // only for the form's post, out of sight and out of the accessibility tree, so a
      // screen reader meets one field, not two of the same name.
      select.setAttribute("aria-hidden", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.detail.target);
  });
})();
