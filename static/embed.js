/* qualify embed kit. Paste one tag where the questionnaire should appear:

     <script src="https://YOUR-QUALIFY-HOST/static/embed.js"
             data-questionnaire="customer-data-maturity" async></script>

   Options, as data-* attributes of the same tag:
     data-mode="popup"             a button that opens the wizard in a slide-in panel
     data-button="Take the test"   the button's label (popup mode)
     data-title="..."              the iframe's accessible title
     data-lang="fr"                the wizard's language (else the page URL's ?lang=, else
                                   the prospect's browser); also the close button's label
     data-min-height / data-max-height   bounds of the auto-resized height, in px

   The iframe gets the page's UTM parameters (utm_source ... utm_content) and its address
   (origin and path, without the query string) as hidden fields; it resizes itself to its
   content; and the page receives qualify:started, qualify:step {step, total} and
   qualify:completed events (bubbling from where the tag was; no personal data in them).

   No inline styles or scripts are needed on the landing page: styles are set through the
   CSSOM, which a style-src policy allows. */
(function () {
  "use strict";

  var UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];
  var DEFAULT_MIN = 200;
  var DEFAULT_MAX = 20000;
  var counter = 0;

  function number(value, fallback) {
    var parsed = parseInt(value, 10);
    return isFinite(parsed) && parsed > 0 ? parsed : fallback;
  }

  function setStyle(element, styles) {
    for (var name in styles) {
      if (Object.prototype.hasOwnProperty.call(styles, name)) {
        element.style.setProperty(name, styles[name]);
      }
    }
  }

  /* The language asked for: the tag's data-lang, else the page URL's ?lang= (two letters). */
  function askedLanguage(script) {
    var here = new URL(window.location.href);
    var asked = (script.getAttribute("data-lang") || here.searchParams.get("lang") || "");
    asked = asked.trim().toLowerCase().slice(0, 2);
    return /^[a-z]{2}$/.test(asked) ? asked : "";
  }

  /* The wizard's address: the questionnaire's intro page with the hidden fields. */
  function wizardUrl(base, questionnaire, lang) {
    var url = new URL(base + "/q/" + encodeURIComponent(questionnaire));
    var here = new URL(window.location.href);
    if (lang) {
      url.searchParams.set("lang", lang);
    }
    UTM.forEach(function (name) {
      var value = here.searchParams.get(name);
      if (value) {
        url.searchParams.set(name, value.slice(0, 200));
      }
    });
    // The page's address without its query string (which may carry an email address).
    url.searchParams.set("page", (here.origin + here.pathname).slice(0, 1000));
    return url.href;
  }

  function makeFrame(options) {
    var frame = document.createElement("iframe");
    frame.src = options.url;
    frame.title = options.title;
    frame.id = "qualify-frame-" + counter;
    frame.setAttribute("data-qualify-frame", options.questionnaire);
    // The wizard may run scripts, post its forms and open the next-step link in a new tab,
    // never navigate the landing page itself.
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-forms allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    );
    setStyle(frame, { display: "block", width: "100%", border: "0", "min-width": "0" });
    return frame;
  }

  /* Listen to one iframe: only messages from the qualify origin AND from that iframe count;
     a height must be a finite number, and is clamped to [min, max]. */
  function listen(frame, options, emitter, onHeight, onEscape) {
    var started = false;
    var completed = false;

    function emit(name, detail) {
      detail.questionnaire = options.questionnaire;
      emitter.dispatchEvent(
        new CustomEvent("qualify:" + name, { bubbles: true, composed: true, detail: detail })
      );
    }

    window.addEventListener("message", function (event) {
      if (event.origin !== options.origin || event.source !== frame.contentWindow) {
        return;
      }
      var data = event.data;
      if (!data || typeof data !== "object" || data.source !== "qualify") {
        return;
      }
      if (data.type === "height") {
        var height = Number(data.height);
        if (typeof data.height !== "number" || !isFinite(height)) {
          return;
        }
        onHeight(Math.min(options.maxHeight, Math.max(options.minHeight, Math.ceil(height))));
      } else if (data.type === "step") {
        var step = Number(data.step);
        var total = Number(data.total);
        if (!isFinite(step) || !isFinite(total) || step < 1 || total < step || total > 1000) {
          return;
        }
        if (!started) {
          started = true;
          emit("started", {});
        }
        emit("step", { step: step, total: total });
      } else if (data.type === "escape" && onEscape) {
        onEscape();
      } else if (data.type === "completed" && !completed) {
        completed = true;
        emit("completed", {});
      }
    });
  }

  function embedInline(script, options) {
    var holder = document.createElement("div");
    holder.className = "qualify-embed";
    var frame = makeFrame(options);
    setStyle(frame, { height: "600px", transition: "height 0.15s ease-out" });
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      frame.style.removeProperty("transition");
    }
    holder.appendChild(frame);
    script.parentNode.insertBefore(holder, script.nextSibling);
    listen(frame, options, holder, function (height) {
      frame.style.setProperty("height", height + "px");
    });
  }

  function embedPopup(script, options) {
    var holder = document.createElement("div");
    holder.className = "qualify-embed qualify-embed-popup";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "qualify-open";
    button.textContent = options.buttonLabel;
    button.setAttribute("aria-haspopup", "dialog");
    holder.appendChild(button);
    script.parentNode.insertBefore(holder, script.nextSibling);

    var dialog = null;
    function open() {
      if (!dialog) {
        dialog = document.createElement("dialog");
        dialog.className = "qualify-dialog";
        dialog.setAttribute("aria-label", options.title);
        var phone = window.matchMedia && window.matchMedia("(max-width: 40rem)").matches;
        // A panel sliding in from the right; the whole screen on a phone.
        setStyle(dialog, {
          position: "fixed",
          inset: "0 0 0 auto",
          margin: "0",
          padding: "0",
          border: "0",
          width: phone ? "100%" : "min(100%, 36rem)",
          "max-width": "100%",
          height: "100%",
          "max-height": "100%",
          background: "#fff",
          "box-shadow": "0 0 2rem rgba(0, 0, 0, 0.35)",
          overflow: "hidden",
          "flex-direction": "column"
        });
        // A bar above the frame for the close button, so it never covers the wizard.
        var bar = document.createElement("div");
        setStyle(bar, {
          display: "flex",
          "justify-content": "flex-end",
          flex: "0 0 auto",
          "border-bottom": "1px solid #d5dae3"
        });
        var close = document.createElement("button");
        close.type = "button";
        close.className = "qualify-close";
        close.textContent = "\u00d7";
        close.setAttribute("aria-label", options.french ? "Fermer" : "Close");
        setStyle(close, {
          "font-size": "1.75rem",
          "line-height": "1",
          padding: "0.25rem 0.6rem",
          border: "0",
          background: "transparent",
          cursor: "pointer"
        });
        close.addEventListener("click", function () {
          dialog.close();
        });
        var frame = makeFrame(options);
        setStyle(frame, { flex: "1 1 auto", height: "auto" });
        bar.appendChild(close);
        dialog.appendChild(bar);
        dialog.appendChild(frame);
        dialog.addEventListener("close", function () {
          dialog.style.removeProperty("display");
          button.focus();
        });
        holder.appendChild(dialog);
        // Inside the panel the frame fills the height and scrolls: heights are not used.
        listen(frame, options, holder, function () {}, function () {
          dialog.close();
        });
      }
      if (typeof dialog.showModal === "function") {
        dialog.showModal();
      } else {
        dialog.setAttribute("open", "");
      }
      dialog.style.setProperty("display", "flex");
    }
    button.addEventListener("click", open);
  }

  function embed(script) {
    if (script.hasAttribute("data-qualify-embedded")) {
      return;
    }
    script.setAttribute("data-qualify-embedded", "");
    var questionnaire = script.getAttribute("data-questionnaire") || "";
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(questionnaire)) {
      if (window.console) {
        window.console.error("qualify embed: data-questionnaire is missing or invalid");
      }
      return;
    }
    var src = new URL(script.src, window.location.href);
    var lang = askedLanguage(script);
    // The landing page's words for what the kit labels itself (the close button...).
    var french = (lang || document.documentElement.lang || "").toLowerCase().slice(0, 2) === "fr";
    counter += 1;
    var options = {
      questionnaire: questionnaire,
      origin: src.origin,
      url: wizardUrl(src.href.replace(/\/static\/embed\.js(?:[?#].*)?$/, ""), questionnaire, lang),
      french: french,
      title: script.getAttribute("data-title") || "Questionnaire",
      buttonLabel:
        script.getAttribute("data-button") || (french ? "Ouvrir le questionnaire" : "Open the questionnaire"),
      minHeight: number(script.getAttribute("data-min-height"), DEFAULT_MIN),
      maxHeight: number(script.getAttribute("data-max-height"), DEFAULT_MAX)
    };
    if (script.getAttribute("data-mode") === "popup") {
      embedPopup(script, options);
    } else {
      embedInline(script, options);
    }
  }

  if (document.currentScript) {
    embed(document.currentScript);
  } else {
    // Old browsers without currentScript: every embed tag not handled yet.
    var tags = document.querySelectorAll("script[data-questionnaire]");
    for (var i = 0; i < tags.length; i += 1) {
      if (/\/static\/embed\.js(?:[?#].*)?$/.test(tags[i].src)) {
        embed(tags[i]);
      }
    }
  }
})();
