// The activity form: Enter in the "Add a person" fields adds the person (not the whole
// activity), focus returns to the new person's name field after htmx swaps the checklist, and
// buttons tick or untick the whole attendance or one role's.
(function () {
  "use strict";

  function addButton(target) {
    var attendance = target.closest && target.closest("#attendance");
    return attendance ? attendance.querySelector("button[name='add_person']") : null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") {
      return;
    }
    if (!event.target.name || event.target.name.indexOf("new-") !== 0) {
      return;
    }
    var button = addButton(event.target);
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  // "Tick everyone", "Untick everyone" and each role's "Tick all": shown only where this
  // script runs, and still working after htmx swaps the checklist in.
  function showBulkButtons() {
    document.querySelectorAll(".attendance-bulk").forEach(function (element) {
      element.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-tick]");
    if (!button) {
      return;
    }
    var scope = button.closest(".attendee-role") || document.getElementById("attendance");
    var tick = button.getAttribute("data-tick") === "all";
    scope.querySelectorAll(".attendee-checklist input[type='checkbox']").forEach(function (box) {
      box.checked = tick;
    });
  });

  document.addEventListener("DOMContentLoaded", showBulkButtons);

  document.addEventListener("htmx:afterSwap", function (event) {
    showBulkButtons();
    if (event.detail.target && event.detail.target.id === "attendance") {
      var attendance = document.getElementById("attendance");
      var details = attendance && attendance.querySelector("details");
      if (details) {
        details.open = true;
      }
      var name = document.getElementById("id_new-name");
      if (name) {
        name.focus();
      }
    }
  });
})();
