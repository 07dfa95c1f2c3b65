/* Questionnaire pages: keep an unsent answer on this device and send it when the connection
 * returns; fill a geopoint from the browser's position. Without JavaScript the form posts
 * as usual; this file only adds to it. */
(function () {
  "use strict";

  var RETRY_MS = 30000;
  var form = document.querySelector("form[data-collect]");
  var banner = document.querySelector(".collect-offline");
  var key = "reciprocite-collect:" + window.location.pathname;
  var timer = null;
  var sending = false;

  function pending() {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }

  function keep(entries) {
    try {
      window.localStorage.setItem(key, JSON.stringify({ entries: entries, savedAt: Date.now() }));
    } catch (e) {
      /* storage full or refused: the message still tells the respondent to retry */
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(key);
    } catch (e) {
      /* nothing to do */
    }
  }

  function say(text) {
    if (!banner) return;
    banner.textContent = text;
    banner.hidden = !text;
  }

  function show(response) {
    // a redirect (the next page) is followed by loading it; a page (errors, thanks) replaces this one
    if (response.redirected) {
      window.location.assign(response.url);
      return Promise.resolve();
    }
    return response.text().then(function (html) {
      document.open();
      document.write(html);
      document.close();
    });
  }

  function send(entries) {
    var body = new FormData();
    entries.forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    return fetch(window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server " + response.status);
      return response;
    });
  }

  function retry() {
    var saved = pending();
    if (!saved || sending) return;
    sending = true;
    send(saved.entries)
      .then(function (response) {
        forget();
        stopTimer();
        if (banner) say(banner.dataset.sentMessage || "");
        return show(response);
      })
      .catch(function () {
        if (banner) say(banner.dataset.offlineMessage || "");
        startTimer();
      })
      .then(function () {
        sending = false;
      });
  }

  function startTimer() {
    if (!timer) timer = window.setInterval(retry, RETRY_MS);
  }

  function stopTimer() {
    if (timer) window.clearInterval(timer);
    timer = null;
  }

  if (form && window.fetch && window.FormData) {
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var data = new FormData(form);
      var entries = [];
      data.forEach(function (value, name) {
        if (typeof value === "string") entries.push([name, value]);
      });
      if (submitter && submitter.name) entries.push([submitter.name, submitter.value]);
      event.preventDefault();
      if (sending) return;
      sending = true;
      send(entries)
        .then(function (response) {
          forget();
          return show(response);
        })
        .catch(function () {
          keep(entries);
          if (banner) say(banner.dataset.offlineMessage || "");
          startTimer();
        })
        .then(function () {
          sending = false;
        });
    });
  }

  /* after a refused page, take the keyboard and screen readers to the list of problems */
  var summary = document.getElementById("form-errors");
  if (summary && form) summary.focus();

  window.addEventListener("online", retry);
  if (pending()) {
    if (banner) say(banner.dataset.offlineMessage || "");
    startTimer();
    if (navigator.onLine !== false) retry();
  }

  /* range: the value shown beside the slider follows it; moving the slider answers the
   * question (unticks "no answer"), ticking "no answer" takes the answer back. Without
   * JavaScript the page says to untick the box; the server reads the box first. */
  document.querySelectorAll("[data-range]").forEach(function (holder) {
    var slider = holder.querySelector('input[type="range"]');
    var output = holder.querySelector("output");
    var none = holder.querySelector('input[type="checkbox"]');
    var hint = holder.parentNode.querySelector(".collect-range-nojs");
    if (!slider || !output || !none) return;
    if (hint) hint.parentNode.removeChild(hint);
    function update() {
      output.textContent = none.checked ? output.dataset.none : slider.value;
    }
    slider.addEventListener("input", function () {
      none.checked = false;
      update();
    });
    none.addEventListener("change", update);
    update();
  });

  /* geopoint: "use my position" fills the typed fields, which always work on their own */
  if (navigator.geolocation) {
    document.querySelectorAll("[data-geopoint]").forEach(function (button) {
      var holder = button.closest(".collect-geo-action");
      var fieldset = button.closest("fieldset");
      var status = holder.querySelector(".collect-geo-status");
      holder.hidden = false;
      button.addEventListener("click", function () {
        status.textContent = status.dataset.locating;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            var c = position.coords;
            var values = {
              lat: c.latitude,
              lon: c.longitude,
              alt: c.altitude == null ? 0 : c.altitude,
              acc: c.accuracy == null ? 0 : c.accuracy,
            };
            Object.keys(values).forEach(function (part) {
              var input = fieldset.querySelector('[data-part="' + part + '"]');
              if (input) input.value = String(Math.round(values[part] * 1e6) / 1e6);
            });
            status.textContent = status.dataset.found;
          },
          function () {
            status.textContent = status.dataset.failed;
          },
          { enableHighAccuracy: true, timeout: 20000 }
        );
      });
    });
  }
})();
