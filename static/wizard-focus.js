/* qualify wizard: where keyboard and screen-reader focus goes (WCAG 2.4.3, 3.3.1).

   - After a failed submit, focus the error summary (role="alert", it lists each error
     with a link to its field); failing that, the first invalid field.
   - On a new step (or the result page), focus the page heading, so that a screen reader
     starts reading the new step and Tab starts from its top.
   - The same after an htmx swap that brings an error summary or a new heading in; a swap
     that only re-renders fields keeps focus where the prospect was (by id).
   - Scrolling that comes with it is instant when the prospect prefers reduced motion.

   A separate file loaded with defer: no inline script (CSP script-src 'self'). */
(function () {
  "use strict";

  var reducedMotion =
    typeof window.matchMedia === "function" &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function focusOn(element) {
    if (!element) {
      return false;
    }
    if (!element.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1"); // a heading or summary: focusable by script only
    }
    element.focus({ preventScroll: true });
    if (typeof element.scrollIntoView === "function") {
      element.scrollIntoView({ block: "nearest", behavior: reducedMotion ? "auto" : "smooth" });
    }
    return document.activeElement === element;
  }

  function errorTarget(root) {
    return (
      root.querySelector(".error-summary") ||
      root.querySelector('[aria-invalid="true"]')
    );
  }

  function headingTarget(root) {
    var main = document.querySelector("main[data-qualify-page]");
    var page = main ? main.getAttribute("data-qualify-page") : "";
    if (page !== "step" && page !== "result") {
      return null; // the intro, the preview, other pages: the reader starts at the top anyway
    }
    return root.querySelector("#step-title") || root.querySelector("h1");
  }

  function placeFocus(root) {
    return focusOn(errorTarget(root)) || focusOn(headingTarget(root));
  }

  var lastFocusedId = null;
  document.addEventListener("focusin", function (event) {
    lastFocusedId = event.target && event.target.id ? event.target.id : lastFocusedId;
  });

  function afterSwap(event) {
    var target = (event.detail && event.detail.target) || event.target;
    if (!target || typeof target.querySelector !== "function") {
      return;
    }
    if (errorTarget(target) || target.querySelector("#step-title")) {
      placeFocus(target);
      return;
    }
    // Fields re-rendered under the prospect's fingers: give focus back to the same input.
    var active = document.activeElement;
    if ((!active || active === document.body) && lastFocusedId) {
      var again = document.getElementById(lastFocusedId);
      if (again) {
        again.focus({ preventScroll: true });
      }
    }
  }

  function start() {
    placeFocus(document);
    document.body.addEventListener("htmx:afterSettle", afterSwap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
