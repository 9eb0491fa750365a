// Adds "SVG" and "PNG" buttons under every chart, map and network drawing, so what is shown can
// be taken away. Everything happens in the browser; nothing is fetched from another host.
(function () {
  "use strict";
  function serialise(svg) {
    var copy = svg.cloneNode(true);
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (box && box.width) {
      copy.setAttribute("width", box.width);
      copy.setAttribute("height", box.height);
    }
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
  }
  function save(href, name) {
    var link = document.createElement("a");
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function png(svg) {
    return new Promise(function (resolve, reject) {
      var box = svg.viewBox.baseVal;
      var scale = Math.max(1, 1600 / (box.width || 800));
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = Math.round((box.width || 800) * scale);
        canvas.height = Math.round((box.height || 400) * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        resolve(canvas.toDataURL("image/png"));
      };
      image.onerror = reject;
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(serialise(svg));
    });
  }
  function decorate(root) {
  root.querySelectorAll("svg.map, svg.chart, svg.network").forEach(function (svg, index) {
    var name = (document.title.split(" · ")[0] || "figure").replace(/[^\w\u0600-\u06FF-]+/g, "_") +
      "-" + (index + 1);
    var bar = document.createElement("div");
    bar.className = "figure-downloads";
    [["SVG", function () {
      save(URL.createObjectURL(new Blob([serialise(svg)], { type: "image/svg+xml" })), name + ".svg");
    }], ["PNG", function () {
      png(svg).then(function (url) { save(url, name + ".png"); });
    }]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "download-" + pair[0].toLowerCase();
      button.textContent = pair[0];
      button.addEventListener("click", pair[1]);
      bar.appendChild(button);
    });
    svg.insertAdjacentElement("afterend", bar);
  });
  }
  window.alliancekitDownloads = { serialise: serialise, png: png, decorate: decorate };
  decorate(document);
})();
