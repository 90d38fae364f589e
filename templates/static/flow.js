/* trivsel answering flow: reveal questions whose condition is answered on the same page.
   Without JavaScript the server does the same after the page is sent. */
(function () {
  "use strict";
  function chosen(form, name) {
    var values = [];
    form.querySelectorAll('input[name="' + name + '"]:checked:not(:disabled)').forEach(function (input) {
      values.push(input.value);
    });
    return values;
  }
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var wanted = block.getAttribute("data-show-in").split(" ");
      var show = chosen(form, block.getAttribute("data-show-if")).some(function (v) { return wanted.indexOf(v) >= 0; });
      block.hidden = !show;
      block.querySelectorAll("input, textarea, select").forEach(function (input) { input.disabled = !show; });
    });
  }
  function wire(root) {
    root.querySelectorAll("form.question-form").forEach(function (form) {
      if (form.dataset.wired) { return; }
      form.dataset.wired = "1";
      form.addEventListener("change", function () { update(form); });
      update(form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSettle", function () { wire(document); });
})();
