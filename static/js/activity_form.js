// The activity form: Enter in the "Add a person" fields adds the person (not the whole
// activity), and focus returns to the new person's name field after htmx swaps the checklist.
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

  document.addEventListener("htmx:afterSwap", function (event) {
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
