/* quizgen: shuffle the choices on the front and show the same order, and the tapped choice, on
   the back; scramble a chronology's events anew at every review.
   AnkiDroid loads the back as a fresh page, so the state is kept in sessionStorage. Where that is
   missing (AnkiMobile, some AnkiDroid versions, previews) it is kept in a window-level variable,
   which reaches the back where the page survives (desktop, AnkiMobile). On a fresh page with
   neither, the back shows the order built into the note, still marking the right choice. */
(function () {
  var memory = window.__quizgenState = window.__quizgenState || {};
  var store = null;
  try { store = window.sessionStorage; store.getItem("quizgen"); } catch (e) { store = null; }
  function get(key) {
    if (store) { try { var v = store.getItem(key); if (v !== null) return JSON.parse(v); } catch (e) {} }
    return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
  }
  function put(key, value) {
    memory[key] = value;
    if (store) { try { store.setItem(key, JSON.stringify(value)); } catch (e) {} }
  }
  function drop(key) {
    delete memory[key];
    if (store) { try { store.removeItem(key); } catch (e) {} }
  }
  function words(text) { return (text || "").replace(/\s+/g, " ").trim(); }
  function shuffle(order) {
    for (var j = order.length - 1; j > 0; j--) {
      var k = Math.floor(Math.random() * (j + 1));
      var t = order[j]; order[j] = order[k]; order[k] = t;
    }
    return order;
  }
  function valid(order, n) {
    if (!order || order.length !== n) return false;
    var seen = {};
    for (var i = 0; i < order.length; i++) {
      if (typeof order[i] !== "number" || order[i] < 0 || order[i] >= n || seen[order[i]]) return false;
      seen[order[i]] = true;
    }
    return true;
  }
  function choices(back) {
    var lists = document.querySelectorAll(".qg-choices .qg-list");
    if (!lists.length) return;
    var list = lists[lists.length - 1];
    var items = Array.prototype.slice.call(list.children);
    var key = "quizgen:" + (list.getAttribute("data-qg-key") || "");
    var order = get(key), pick = get(key + ":pick");
    if (!back || !valid(order, items.length)) {
      order = [];
      for (var i = 0; i < items.length; i++) order.push(i);
      if (!back) { shuffle(order); put(key, order); drop(key + ":pick"); }
    }
    for (var n = 0; n < order.length; n++) list.appendChild(items[order[n]]);
    if (back) {
      /* the right choice is the one that reads as the Answer field (no marker on the front); once it
         is marked in the list, the Answer line below would only repeat it */
      var answer = document.querySelector(".qg-choice-answer bdi");
      var said_right = false;
      if (answer) {
        var want = words(answer.textContent);
        items.forEach(function (item) {
          if (words(item.textContent) === want) item.setAttribute("data-qg-right", "");
          if (item.hasAttribute("data-qg-right")) said_right = true;
        });
        if (said_right) answer.parentNode.style.display = "none";
      }
      list.parentNode.className += " qg-revealed";
      if (typeof pick === "number" && items[pick]) {
        items[pick].className += " qg-picked";
        var said = document.createElement("div");
        said.className = "qg-verdict-tap";
        said.textContent = items[pick].hasAttribute("data-qg-right") ? "\u2714 " + t("You chose the right answer.") : "\u2716 " + t("Your choice was not the right answer.");
        list.parentNode.appendChild(said);
      }
      drop(key); drop(key + ":pick");
      return;
    }
    items.forEach(function (item, index) {
      item.setAttribute("role", "button");
      item.setAttribute("aria-pressed", "false");
      item.addEventListener("click", function () {
        items.forEach(function (other) { other.className = other.className.replace(" qg-picked", ""); other.setAttribute("aria-pressed", "false"); });
        item.className += " qg-picked";
        item.setAttribute("aria-pressed", "true");
        put(key + ":pick", index);
      });
    });
  }
  function scramble() {
    var list = document.querySelector(".qg-scrambled ul");
    if (!list) return;
    var items = Array.prototype.slice.call(list.children);
    if (items.length < 2) return;
    var order = [];
    for (var i = 0; i < items.length; i++) order.push(i);
    for (var tries = 0; tries < 20; tries++) {
      shuffle(order);
      var right = true;  /* never show the events already in the right order */
      for (var m = 0; m < order.length; m++) if (Number(items[order[m]].getAttribute("data-qg-at")) !== m) right = false;
      if (!right) break;
    }
    for (var n = 0; n < order.length; n++) list.appendChild(items[order[n]]);
  }
  /* quizgen's labels in the deck's language: the build tags each note of a non-English deck
     `quizgen::lang::<language>`, and the templates (shared by every deck) show {{Tags}} hidden. */
  var i18n = window.QG_I18N || { rtl: [], messages: {} }, language = "";
  (function () {
    var holders = document.querySelectorAll(".qg-tags");
    for (var i = 0; i < holders.length; i++) {
      var m = /(?:^|\s)quizgen::lang::([A-Za-z-]+)/.exec(holders[i].textContent || "");
      if (m) language = m[1];
    }
  })();
  function t(english) {
    var table = i18n.messages[language];
    return table && table[english] ? table[english] : english;
  }
  function localise() {
    if (!language) return;
    var rtl = i18n.rtl.indexOf(language.split("-")[0]) >= 0;
    var boxes = document.querySelectorAll(".qg");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].setAttribute("lang", language);
      boxes[i].setAttribute("dir", rtl ? "rtl" : "ltr");
    }
    var labels = document.querySelectorAll("[data-qg-msg]");
    for (var j = 0; j < labels.length; j++) {
      var english = labels[j].getAttribute("data-qg-msg") || labels[j].textContent;
      labels[j].setAttribute("data-qg-msg", english);  /* a second run (front inside back) finds the source */
      labels[j].textContent = t(english);
    }
  }
  /* the article's URL as a link, only for http(s) addresses (never a javascript: one) */
  function link() {
    var boxes = document.querySelectorAll(".qg-url");
    for (var i = 0; i < boxes.length; i++) {
      var address = words(boxes[i].textContent);
      if (!/^https?:\/\/[^\s]+$/i.test(address) || boxes[i].querySelector("a")) continue;
      var a = document.createElement("a");
      a.href = address;
      a.textContent = address;
      a.className = "qg-url-link tappable";
      boxes[i].textContent = "";
      boxes[i].appendChild(a);
    }
  }
  function run() {
    localise();
    link();
    var back = !!document.getElementById("answer");
    choices(back);
    if (!back) scramble();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
