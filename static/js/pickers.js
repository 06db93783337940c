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
      var picker = new TomSelect(select, {
        plugins: multiple ? ["remove_button"] : [],
        maxOptions: null,
        allowEmptyOption: !multiple,
        hidePlaceholder: true,
        placeholder: multiple ? "Type to search and pick" : "Type to search",
      });
      // Tom Select moves the field's label to its own search box; the select it keeps in
      // sync (hidden from view, not from assistive technology) keeps the label's name too.
      var label = document.querySelector("label[for='" + picker.inputId + "-ts-control']");
      if (label && label.id) {
        select.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.detail.target);
  });
})();
