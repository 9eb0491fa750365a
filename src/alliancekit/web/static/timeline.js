// The map follows the year slider as it moves, and a play button walks through the years. The
// next year's page is fetched from this server and its content swapped in; the address bar
// keeps the permalink of what is shown. Without scripts the form's Show button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form.controls[data-live]");
  if (!form) { return; }
  var slider = form.querySelector("input[type=range]");
  var busy = false, timer = null, pending = false;
  function show(push) {
    if (busy) { pending = true; return Promise.resolve(); }
    busy = true;
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.getAttribute("action") + "?" + query;
    return fetch(url, { headers: { "Accept": "text/html" } }).then(function (response) {
      return response.text();
    }).then(function (text) {
      var page = new DOMParser().parseFromString(text, "text/html");
      ["h1", "#map-area", "#partners"].forEach(function (selector) {
        var fresh = page.querySelector(selector), old = document.querySelector(selector);
        if (fresh && old) { old.replaceWith(fresh); }
      });
      var area = document.querySelector("#map-area");
      if (area && window.alliancekitDownloads) { window.alliancekitDownloads.decorate(area); }
      if (push) { history.replaceState(null, "", url); }
    }).finally(function () {
      busy = false;
      if (pending) { pending = false; show(true); }
    });
  }
  slider.addEventListener("change", function () { show(true); });
  var play = document.createElement("button");
  play.type = "button";
  play.id = "play";
  play.textContent = form.dataset.play || "Play";
  play.addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; play.textContent = form.dataset.play; return; }
    play.textContent = form.dataset.pause || "Pause";
    timer = setInterval(function () {
      var next = Number(slider.value) + 1;
      if (next > Number(slider.max)) { clearInterval(timer); timer = null;
        play.textContent = form.dataset.play; return; }
      slider.value = String(next);
      slider.dispatchEvent(new Event("input"));
      show(true);
    }, 1200);
  });
  form.appendChild(play);
})();
