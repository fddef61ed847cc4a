/* qualify wizard, inside an embed iframe: tell the parent page how tall this page is and
   which step is showing, so that static/embed.js can resize the iframe and emit
   qualify:started / qualify:step / qualify:completed.

   Messages carry no personal data (a height, a step number, the step count), which is
   why they may go to any parent ("*"): who may frame the wizard at all is decided by the
   page's Content-Security-Policy frame-ancestors. */
(function () {
  "use strict";
  if (window.parent === window) {
    return; // not framed: nothing to tell
  }

  var lastHeight = -1;

  function post(message) {
    message.source = "qualify";
    window.parent.postMessage(message, "*");
  }

  function postHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      post({ type: "height", height: height });
    }
  }

  function postPage() {
    var main = document.querySelector("[data-qualify-page]");
    if (!main) {
      return;
    }
    var page = main.getAttribute("data-qualify-page");
    if (page === "step") {
      post({
        type: "step",
        step: parseInt(main.getAttribute("data-qualify-step"), 10),
        total: parseInt(main.getAttribute("data-qualify-total"), 10)
      });
    } else if (page === "result") {
      post({ type: "completed" });
    }
  }

  function start() {
    postPage();
    postHeight();
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(postHeight).observe(document.documentElement);
    }
    window.addEventListener("resize", postHeight);
    window.addEventListener("load", postHeight);
    document.body.addEventListener("htmx:afterSettle", postHeight);
    // Keys typed in the frame never reach the parent: Escape must close a popup from here.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        post({ type: "escape" });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
