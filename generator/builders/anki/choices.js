/* quizgen: shuffle the choices on the front and show the same order on the back.
   AnkiDroid loads the back as a fresh page, so the order is kept in sessionStorage; without
   storage both sides show the order built into the note. */
(function () {
  function run() {
    var lists = document.querySelectorAll(".qg-choices .qg-list");
    if (!lists.length) return;
    var list = lists[lists.length - 1];
    var items = Array.prototype.slice.call(list.children);
    var key = "quizgen:" + (list.getAttribute("data-qg-key") || "");
    var back = !!document.getElementById("answer");
    var store = null;
    try { store = window.sessionStorage; store.getItem(key); } catch (e) { store = null; }
    function valid(order) {
      if (!order || order.length !== items.length) return false;
      var seen = {};
      for (var i = 0; i < order.length; i++) {
        if (typeof order[i] !== "number" || order[i] < 0 || order[i] >= items.length || seen[order[i]]) return false;
        seen[order[i]] = true;
      }
      return true;
    }
    var order = null, pick = null;
    if (store) {
      try { order = JSON.parse(store.getItem(key)); pick = JSON.parse(store.getItem(key + ":pick")); } catch (e) { order = null; }
    }
    if (!back || !valid(order)) {
      order = [];
      for (var i = 0; i < items.length; i++) order.push(i);
      if (!back && store) {
        for (var j = order.length - 1; j > 0; j--) {
          var k = Math.floor(Math.random() * (j + 1));
          var t = order[j]; order[j] = order[k]; order[k] = t;
        }
        try { store.setItem(key, JSON.stringify(order)); store.removeItem(key + ":pick"); } catch (e) { order.sort(); }
      }
    }
    for (var n = 0; n < order.length; n++) list.appendChild(items[order[n]]);
    if (back) {
      list.parentNode.className += " qg-revealed";
      if (typeof pick === "number" && items[pick]) items[pick].className += " qg-picked";
      if (store) { try { store.removeItem(key); store.removeItem(key + ":pick"); } catch (e) {} }
      return;
    }
    items.forEach(function (item, index) {
      item.setAttribute("role", "button");
      item.addEventListener("click", function () {
        items.forEach(function (other) { other.className = other.className.replace(" qg-picked", ""); other.setAttribute("aria-pressed", "false"); });
        item.className += " qg-picked";
        item.setAttribute("aria-pressed", "true");
        if (store) { try { store.setItem(key + ":pick", JSON.stringify(index)); } catch (e) {} }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
