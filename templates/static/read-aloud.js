/* trivsel: "Læs op" (read aloud) buttons on page texts, questions and options, using the
   browser's own speech synthesis in the page's language (Danish, English on English pages).
   Buttons are only added when the browser can speak that language; without JavaScript or a
   voice there are none. Added again after every htmx swap. No network: speech stays on the device. */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }
  var LABELS = {
    da: { read: "Læs op", about: "Læs op: " },
    en: { read: "Read aloud", about: "Read aloud: " },
    uk: { read: "Прочитати вголос", about: "Прочитати вголос: " },
    ar: { read: "اقرأ بصوت عالٍ", about: "اقرأ بصوت عالٍ: " }
  };
  var LOCALES = { da: "da-DK", en: "en-GB", uk: "uk-UA", ar: "ar" };

  function language() {
    var lang = (document.documentElement.getAttribute("lang") || "da").toLowerCase().split("-")[0];
    return LABELS[lang] ? lang : "da";
  }
  function voiceFor(lang) {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().replace("_", "-").split("-")[0] === lang) { return voices[i]; }
    }
    return null;
  }
  function clean(text) { return (text || "").replace(/\s+/g, " ").trim(); }
  function ownText(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".read-aloud, .required, .visually-hidden, input").forEach(function (n) { n.remove(); });
    return clean(copy.textContent);
  }
  function speak(text) {
    var lang = language();
    var voice = voiceFor(lang);
    if (!voice || !text) { return; }
    synth.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = LOCALES[lang];
    utterance.voice = voice;
    synth.speak(utterance);
  }
  function speakerIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "24");
    svg.setAttribute("height", "24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M3 9v6h4l5 5V4L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }
  function button(textOf, name, compact) {
    var labels = LABELS[language()];
    var b = document.createElement("button");
    b.type = "button";
    b.className = "read-aloud secondary" + (compact ? " read-aloud-compact" : "");
    if (compact) { b.appendChild(speakerIcon()); } else { b.textContent = labels.read; }
    b.setAttribute("aria-label", labels.about + name);
    b.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      speak(textOf());
    });
    return b;
  }
  function pageText(card) {
    var parts = [];
    card.querySelectorAll(":scope > h1, :scope > h2, :scope > p:not(.progress-text), :scope > ul").forEach(function (n) {
      parts.push(ownText(n));
    });
    return parts.filter(Boolean).join(". ");
  }
  function addButtons(root) {
    if (!voiceFor(language())) { return; }
    root.querySelectorAll(".card:not([data-read-aloud])").forEach(function (card) {
      var heading = card.querySelector(":scope > h1");
      card.setAttribute("data-read-aloud", "1");
      if (!heading) { return; }
      heading.insertAdjacentElement("afterend", button(function () { return pageText(card); }, ownText(heading)));
    });
    root.querySelectorAll(".question fieldset > legend:not([data-read-aloud])").forEach(function (legend) {
      legend.setAttribute("data-read-aloud", "1");
      var fieldset = legend.parentElement;
      var help = fieldset.querySelector(":scope > .help");
      var anchors = fieldset.querySelector(".scale-labels");  // the ladder's ends: "0 = Værst mulige liv"
      var name = ownText(legend);
      var b = button(function () {
        return [ownText(legend), help ? ownText(help) : "", anchors ? ownText(anchors) : ""].filter(Boolean).join(". ");
      }, name);
      legend.insertAdjacentElement("afterend", b);
    });
    root.querySelectorAll(".choices > label.choice").forEach(function (label) {
      var wrap = document.createElement("div");
      wrap.className = "choice-row";
      label.parentElement.insertBefore(wrap, label);
      wrap.appendChild(label);
      var name = ownText(label);
      wrap.appendChild(button(function () { return ownText(label); }, name, true));
    });
  }
  function start() { addButtons(document); }
  document.addEventListener("DOMContentLoaded", function () {
    if (voiceFor(language())) { start(); }
    else if (typeof synth.addEventListener === "function") { synth.addEventListener("voiceschanged", start); }
  });
  document.addEventListener("htmx:afterSettle", function () { start(); });
})();
