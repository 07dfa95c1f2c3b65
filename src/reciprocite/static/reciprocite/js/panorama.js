/* The panorama page: PNG downloads of the charts and maps, drawn from their SVG on a canvas
   (no library, nothing fetched), and htmx swapping the results of a bad filter (status 400)
   so that its message is read. Without JavaScript the page works: SVG and CSV downloads are
   plain links. */
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("button[data-png]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function downloadPng(figure, filename) {
    var svg = figure.querySelector("svg");
    if (!svg) return;
    var box = svg.viewBox && svg.viewBox.baseVal;
    var width = Math.round(svg.width.baseVal.value || (box && box.width) || 640);
    var height = Math.round(svg.height.baseVal.value || (box && box.height) || 400);
    var clone = svg.cloneNode(true);
    clone.setAttribute("width", width);
    clone.setAttribute("height", height);
    var text = new XMLSerializer().serializeToString(clone);
    var url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml;charset=utf-8" }));
    var image = new Image();
    image.onload = function () {
      var scale = 2; // sharp on slides and print
      var canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.scale(scale, scale);
      context.drawImage(image, 0, 0, width, height);
      URL.revokeObjectURL(url);
      canvas.toBlob(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = filename;
        document.body.appendChild(link);
        link.click();
        setTimeout(function () {
          URL.revokeObjectURL(link.href);
          link.remove();
        }, 0);
      }, "image/png");
    };
    image.src = url;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-png]");
    if (!button) return;
    var figure = document.getElementById(button.getAttribute("data-png"));
    if (figure) downloadPng(figure, button.getAttribute("data-filename") || "chart.png");
  });

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400 && event.detail.target.id === "panorama-results") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    reveal(event.target);
  });
})();
