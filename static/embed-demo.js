/* The embed demo page (/embed/demo): list the events the embedded wizard emits. */
(function () {
  "use strict";
  ["qualify:started", "qualify:step", "qualify:completed"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var log = document.getElementById("event-log");
      if (!log) {
        return;
      }
      var item = document.createElement("li");
      item.textContent = name + " " + JSON.stringify(event.detail);
      log.appendChild(item);
    });
  });
})();
