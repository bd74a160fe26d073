// The change request form: show only the part of the form for the kind chosen.
// Without JavaScript every part shows (each says which kind it is for); the
// service ignores the parts of other kinds either way.
(function () {
  "use strict";
  function update(form) {
    var chosen = form.querySelector('input[name="kind"]:checked');
    var kind = chosen ? chosen.value : "";
    form.querySelectorAll("fieldset[data-kind]").forEach(function (group) {
      // A hidden group leaves the tab order too, so the keyboard skips it.
      group.hidden = kind !== "" && group.getAttribute("data-kind") !== kind;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.change-form").forEach(function (form) {
      form.querySelectorAll('input[name="kind"]').forEach(function (radio) {
        radio.addEventListener("change", function () { update(form); });
      });
      update(form);
    });
  });
})();
