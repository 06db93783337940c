// The chapter editor (templates/reports/chapter_form.html):
// - "Cite" buttons of the citation search and "Place the figure" type their marker into the
//   chapter's text where the cursor was, a figure on a line of its own;
// - the text then announces an input, so that the preview (htmx) follows;
// - controls that need JavaScript are hidden until it runs, here and in what htmx swaps in.
(function () {
  "use strict";

  function textArea() {
    return document.getElementById("id_body");
  }

  function insert(text, ownLine) {
    var area = textArea();
    if (!area) {
      return;
    }
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var before = area.value.slice(0, start);
    var after = area.value.slice(end);
    if (ownLine) {
      if (before && !before.endsWith("\n")) {
        text = "\n" + text;
      }
      if (!after.startsWith("\n")) {
        text = text + "\n";
      }
    }
    area.value = before + text + after;
    var caret = start + text.length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert], [data-insert-from]");
    if (!button) {
      return;
    }
    var text = button.dataset.insert;
    if (button.dataset.insertFrom) {
      text = document.getElementById(button.dataset.insertFrom).value;
    }
    insert(text, button.hasAttribute("data-own-line"));
  });

  function reveal(root) {
    root.querySelectorAll("[data-needs-js]").forEach(function (element) {
      element.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    reveal(event.detail.target);
  });
})();
