/* quizgen index: each article's cards due today, from what its study page saved in this browser
   (localStorage `quizgen:due:<slug>`: the study day each card is due and the day boundary). Reads
   only; shows nothing for an article never studied here, or when storage is refused. */
(function () {
  'use strict';
  var DAY = 86400000;
  function clock(t, dayStart) {
    var d = new Date(t - dayStart * 3600000);
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes());
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-due-slug]'), function (el) {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem('quizgen:due:' + el.getAttribute('data-due-slug'))); } catch (e) { return; }
    if (!saved || !Array.isArray(saved.due) || typeof saved.dayStart !== 'number') return;
    var today = Math.floor(clock(Date.now(), saved.dayStart) / DAY);
    var n = saved.due.filter(function (day) { return typeof day === 'number' && day <= today; }).length;
    el.textContent = el.getAttribute('data-text').replace('%(n)s', String(n));
    el.hidden = false;
  });
})();
