/* The campaign page: a "copy" button beside each personal link. Without JavaScript (or
   without the clipboard) the link stays on the page as text to select and copy; the button
   only appears when it can work. The messages come from the button's data-copied and
   data-failed attributes, written in the page's language. */
(function () {
  "use strict";

  function setup(root) {
    if (!navigator.clipboard || !window.isSecureContext) return;
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(
      function () {
        if (status) status.textContent = button.getAttribute("data-copied");
      },
      function () {
        if (status) status.textContent = button.getAttribute("data-failed");
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
    );
  });

  document.addEventListener("DOMContentLoaded", function () {
    setup(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    setup(event.target);
  });
})();
