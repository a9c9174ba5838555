/* quizgen study page: flashcards, quiz, timeline and the article, from the JSON data in the page.
   User text only ever enters the page as text nodes or attribute values, never as HTML. */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('quizgen-data').textContent);
  var ARTICLE = DATA.article;
  var PREFIX = 'quizgen:study:' + DATA.slug + ':';
  var KEY = PREFIX + DATA.version; // another question set is another key: old progress is ignored
  var INTERVALS = [1, 2, 4, 8, 16]; // Leitner boxes 1-5: sessions between reviews
  var AGAIN_GAP = 3; // an "Again" card comes back after this many other cards
  var KINDS = {
    qa: 'Short answer', cloze: 'Cloze', mcq: 'Multiple choice', truefalse: 'True or false',
    order: 'Chronology', attribution: 'Attribution'
  };
  var TESTS = { event: 'Events', claim: 'Claims' };

  /* ---------- DOM helpers ---------- */

  function $(id) { return document.getElementById(id); }

  function add(el, kids) {
    if (kids === null || kids === undefined || kids === false) return el;
    if (!Array.isArray(kids)) kids = [kids];
    kids.forEach(function (k) {
      if (k === null || k === undefined || k === false) return;
      el.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
    });
    return el;
  }

  /** An element; attribute values and text children are set as text, never parsed as HTML. */
  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === 'onclick') el.addEventListener('click', value);
      else el.setAttribute(name, value === true ? '' : String(value));
    });
    return add(el, kids);
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  function button(label, onclick, attrs) {
    var a = { type: 'button', onclick: onclick };
    Object.keys(attrs || {}).forEach(function (k) { a[k] = attrs[k]; });
    return h('button', a, label);
  }

  /* ---------- storage: every access guarded (private mode, file:// pages may refuse it) ---------- */

  var memory = true;

  function storage() {
    try {
      var s = window.localStorage;
      return s && typeof s.getItem === 'function' ? s : null;
    } catch (e) {
      return null;
    }
  }

  function noMemory() {
    memory = false;
    var note = $('memory');
    if (note) note.hidden = false;
  }

  function loadSaved() {
    try {
      var s = storage();
      if (!s) { noMemory(); return null; }
      var raw = s.getItem(KEY);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      if (!(e instanceof SyntaxError)) noMemory();
      return null; // unreadable progress is no progress
    }
  }

  function save() {
    if (!memory) return;
    try {
      var s = storage();
      if (!s) { noMemory(); return; }
      s.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      noMemory();
    }
  }

  function eraseSaved() {
    try {
      var s = storage();
      if (!s) return;
      var keys = [];
      for (var i = 0; i < s.length; i++) {
        var k = s.key(i);
        if (k && k.indexOf(PREFIX) === 0) keys.push(k); // this article's progress, any question set
      }
      keys.forEach(function (k) { s.removeItem(k); });
    } catch (e) {
      noMemory();
    }
  }

  /* ---------- cards: one per question, one per deletion number of a cloze ---------- */

  var CARDS = [];
  var BY_ID = {};
  DATA.questions.forEach(function (q) {
    var numbers = q.kind === 'cloze' ? q.numbers : [0];
    numbers.forEach(function (n) {
      var card = { id: n ? q.id + '#' + n : q.id, q: q, n: n, index: CARDS.length };
      CARDS.push(card);
      BY_ID[card.id] = card;
    });
  });
  var ALL_TAGS = [];
  DATA.questions.forEach(function (q) {
    q.tags.forEach(function (t) { if (ALL_TAGS.indexOf(t) < 0) ALL_TAGS.push(t); });
  });
  ALL_TAGS.sort();
  var PRESENT_KINDS = Object.keys(KINDS).filter(function (k) {
    return DATA.questions.some(function (q) { return q.kind === k; });
  });

  /* ---------- state ---------- */

  function fresh() {
    return {
      session: 0, // sessions started (a run counts once something in it is graded)
      boxes: {}, // card id -> [box 1-5, session of the last grade]
      prefs: { view: 'cards', tests: [], kinds: [], tags: [], shuffle: false },
      runs: {} // mode -> the run in progress
    };
  }

  function isInt(x, lo, hi) { return typeof x === 'number' && x % 1 === 0 && x >= lo && x <= hi; }

  function strings(list, allowed) {
    return Array.isArray(list) ? list.filter(function (x) { return allowed.indexOf(x) >= 0; }) : [];
  }

  function knownIds(list) {
    return Array.isArray(list) ? list.filter(function (id) { return BY_ID.hasOwnProperty(id); }) : [];
  }

  function cleanRun(run, mode) {
    if (!run || typeof run !== 'object') return null;
    var queue = knownIds(run.queue);
    var total = 0;
    var seen = {};
    queue.forEach(function (id) { if (!seen[id]) { seen[id] = true; total++; } });
    if (!queue.length || queue.length !== (Array.isArray(run.queue) ? run.queue.length : -1)) return null;
    var i = isInt(run.i, 0, queue.length) ? run.i : 0;
    return {
      mode: mode, queue: queue, i: i, total: total,
      done: isInt(run.done, 0, total) ? run.done : 0,
      right: isInt(run.right, 0, total) ? run.right : 0,
      missed: knownIds(run.missed),
      session: isInt(run.session, 1, 1e9) ? run.session : null,
      ahead: run.ahead === true
    };
  }

  /** Saved progress, checked piece by piece: anything unexpected is dropped, not trusted. */
  function clean(raw) {
    var s = fresh();
    if (!raw || typeof raw !== 'object') return s;
    if (isInt(raw.session, 0, 1e9)) s.session = raw.session;
    if (raw.boxes && typeof raw.boxes === 'object') {
      Object.keys(raw.boxes).forEach(function (id) {
        var b = raw.boxes[id];
        if (BY_ID.hasOwnProperty(id) && Array.isArray(b) && isInt(b[0], 1, 5) && isInt(b[1], 0, s.session)) {
          s.boxes[id] = [b[0], b[1]];
        }
      });
    }
    var p = raw.prefs || {};
    if (['cards', 'quiz', 'timeline', 'article'].indexOf(p.view) >= 0) s.prefs.view = p.view;
    s.prefs.tests = strings(p.tests, Object.keys(TESTS));
    s.prefs.kinds = strings(p.kinds, PRESENT_KINDS);
    s.prefs.tags = strings(p.tags, ALL_TAGS);
    s.prefs.shuffle = p.shuffle === true;
    if (raw.runs && typeof raw.runs === 'object') {
      ['cards', 'quiz'].forEach(function (mode) {
        var run = cleanRun(raw.runs[mode], mode);
        if (run) s.runs[mode] = run;
      });
    }
    return s;
  }

  var state = clean(loadSaved());

  /* ---------- Leitner boxes ---------- */

  function box(id) { return state.boxes[id] ? state.boxes[id][0] : 1; }

  /** The session from which a card is due again (new cards are due now). */
  function dueFrom(id) {
    var b = state.boxes[id];
    return b ? b[1] + INTERVALS[b[0] - 1] : 0;
  }

  function matches(card) {
    var p = state.prefs;
    var q = card.q;
    return (!p.tests.length || p.tests.indexOf(q.tests) >= 0) &&
      (!p.kinds.length || p.kinds.indexOf(q.kind) >= 0) &&
      (!p.tags.length || q.tags.some(function (t) { return p.tags.indexOf(t) >= 0; }));
  }

  function shuffle(list) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = list[i]; list[i] = list[j]; list[j] = t;
    }
    return list;
  }

  /** A new run: flashcards take the due cards, lowest box first; a quiz takes every matching card. */
  function newRun(mode, only) {
    var pool = only ? only.map(function (id) { return BY_ID[id]; }) : CARDS.filter(matches);
    var session = state.session + 1;
    var ahead = false;
    if (mode === 'cards' && !only) {
      var due = pool.filter(function (c) { return dueFrom(c.id) <= session; });
      ahead = !due.length; // nothing due: review ahead, soonest due first
      if (!ahead) pool = due;
    }
    pool = pool.slice();
    if (state.prefs.shuffle) shuffle(pool);
    else pool.sort(function (a, b) { return a.index - b.index; });
    if (mode === 'cards') {
      pool.sort(function (a, b) { // stable: keeps the shuffled or article order within a box
        return ahead ? dueFrom(a.id) - dueFrom(b.id) : box(a.id) - box(b.id);
      });
    }
    var queue = pool.map(function (c) { return c.id; });
    return { mode: mode, queue: queue, i: 0, total: queue.length, done: 0, right: 0, missed: [], session: null, ahead: ahead };
  }

  function run(mode) {
    if (!state.runs[mode]) {
      state.runs[mode] = newRun(mode);
      save(); // a shuffled run keeps its order across a reload
    }
    return state.runs[mode];
  }

  /** Record a grade: right moves the card up a box (unless missed earlier in this run), wrong to box 1.
      An "Again" card also goes back into the queue, a few cards later. */
  function grade(r, id, right, again) {
    if (r.session === null) { state.session += 1; r.session = state.session; }
    var missedBefore = r.missed.indexOf(id) >= 0;
    if (right) {
      state.boxes[id] = [missedBefore ? 1 : Math.min(box(id) + 1, 5), r.session];
      if (!missedBefore) r.right += 1;
      r.done += 1;
    } else {
      state.boxes[id] = [1, r.session];
      if (!missedBefore) r.missed.push(id);
      if (again) r.queue.splice(Math.min(r.i + 1 + AGAIN_GAP, r.queue.length), 0, id);
      else r.done += 1;
    }
    r.i += 1;
    save();
  }

  /* ---------- the article and sources ---------- */

  function blockText(b) { return ARTICLE.blocks[b].text; }

  /** Text of block `b` from `lo` to `hi` with the passage span [start, end) marked. */
  function marked(b, start, end, lo, hi) {
    var t = blockText(b);
    return [t.slice(lo, start), h('mark', null, t.slice(start, end)), t.slice(end, hi)];
  }

  var returnTo = null; // where "Back" in the article goes: { view, y, keys }

  function openArticle(src) {
    returnTo = { view: state.prefs.view, y: window.scrollY, keys: keys };
    show('article', src);
  }

  /** A passage in its paragraph (or, with `short`, in its sentence) and a way into the whole article. */
  function sourceView(src, heading, short) {
    var first = src.spans[0];
    var label = ARTICLE.blocks[first[0]].label;
    var wrap = h('div', { 'class': 'source' }, h('p', { 'class': 'source-head' }, [
      heading ? h('span', { dir: 'auto' }, heading) : 'Source', ' · ', h('bdi', null, src.cite)
    ]));
    src.spans.forEach(function (s) {
      var t = blockText(s[0]);
      var lo = short ? s[3] : 0;
      var hi = short ? s[4] : t.length;
      wrap.appendChild(h('blockquote', { dir: 'auto' }, [lo > 0 ? '… ' : null].concat(
        marked(s[0], s[1], s[2], lo, hi), [hi < t.length ? ' …' : null])));
    });
    wrap.appendChild(button('Read it in the article (' + label + ')', function () { openArticle(src); },
      { 'class': 'link', 'aria-label': 'Open the whole article at ' + label }));
    return wrap;
  }

  function sourcesView(q) {
    var many = q.sources.length > 1;
    return h('div', { 'class': 'sources' }, q.sources.map(function (src, i) {
      return sourceView(src, q.kind === 'order' ? q.events[i].text : null, many);
    }));
  }

  function renderArticle(src) {
    var body = clear($('article-body'));
    var highlight = {};
    (src ? src.spans : []).forEach(function (s) { highlight[s[0]] = s; });
    ARTICLE.blocks.forEach(function (b, i) {
      var s = highlight[i];
      var text = s ? marked(i, s[1], s[2], 0, b.text.length) : b.text;
      body.appendChild(h('p', { id: 'block-' + i, 'class': 'block ' + b.kind, tabindex: '-1', dir: 'auto' },
        [h('span', { 'class': 'label' }, b.label), ' '].concat(text)));
    });
    $('article-back').hidden = !returnTo;
    if (src) {
      var target = $('block-' + src.spans[0][0]);
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'start' });
    }
  }

  function renderArticleHead() {
    var head = $('article-head');
    var facts = [ARTICLE.kind, ARTICLE.author ? 'by ' + ARTICLE.author : null, ARTICLE.publication, ARTICLE.date]
      .filter(function (x) { return x; }).join(' · ');
    add(head, [
      ARTICLE.subtitle ? h('p', { 'class': 'subtitle', dir: 'auto' }, ARTICLE.subtitle) : null,
      facts ? h('p', { 'class': 'facts', dir: 'auto' }, facts) : null,
      ARTICLE.url && /^https?:\/\//i.test(ARTICLE.url)
        ? h('p', { 'class': 'facts' }, h('a', { href: ARTICLE.url, rel: 'noopener noreferrer', dir: 'ltr' }, ARTICLE.url))
        : null
    ]);
  }

  /* ---------- timeline ---------- */

  function timelineList(nodes, loose) {
    return h('ol', { 'class': loose ? 'timeline loose' : 'timeline' }, nodes.map(function (node) {
      return h('li', { 'class': 'node' }, [
        h('p', { 'class': 'when', dir: 'auto' }, node.when),
        h('ul', { 'class': 'events' }, node.items.map(function (item) {
          var detail = h('div', { 'class': 'event-source', hidden: true });
          var toggle = button(item.text, function () {
            var open = detail.hidden;
            clear(detail);
            if (open) detail.appendChild(sourceView(item.source, null, false));
            detail.hidden = !open;
            toggle.setAttribute('aria-expanded', String(open));
          }, { 'class': 'event', 'aria-expanded': 'false', dir: 'auto' });
          return h('li', null, [toggle, detail]);
        }))
      ]);
    }));
  }

  function renderTimeline() {
    var el = clear($('timeline-body'));
    var t = DATA.timeline;
    if (!t.ordered.length && !t.loose.length) {
      el.appendChild(h('p', { 'class': 'note' }, 'No question about this article carries a date.'));
      return;
    }
    if (t.ordered.length) {
      add(el, [h('p', { 'class': 'note' }, 'In the order the chronology questions give. Tap an event to see where the article says it.'),
        timelineList(t.ordered, false)]);
    }
    if (t.loose.length) {
      add(el, [h('h3', null, t.ordered.length ? 'Also dated in the article' : 'Dated in the article'),
        h('p', { 'class': 'note' }, 'No chronology question places these, so they are listed as the article tells them, not by date.'),
        timelineList(t.loose, true)]);
    }
  }

  /* ---------- filters ---------- */

  function checkbox(group, value, label) {
    var id = 'f-' + group + '-' + value;
    var input = h('input', { type: 'checkbox', id: id, value: value });
    input.checked = state.prefs[group].indexOf(value) >= 0;
    input.addEventListener('change', function () {
      var list = state.prefs[group];
      var at = list.indexOf(value);
      if (input.checked && at < 0) list.push(value);
      if (!input.checked && at >= 0) list.splice(at, 1);
      restart();
    });
    return h('label', { 'class': 'check', 'for': id }, [input, h('span', { dir: 'auto' }, label)]);
  }

  function renderFilters() {
    var el = clear($('filter-body'));
    add(el, [
      h('fieldset', null, [h('legend', null, 'What it tests')].concat(Object.keys(TESTS).map(function (t) {
        return checkbox('tests', t, TESTS[t]);
      }))),
      h('fieldset', null, [h('legend', null, 'Kind')].concat(PRESENT_KINDS.map(function (k) {
        return checkbox('kinds', k, KINDS[k]);
      }))),
      ALL_TAGS.length ? h('fieldset', { 'class': 'tags' }, [h('legend', null, 'Tags (any of)')].concat(ALL_TAGS.map(function (t) {
        return checkbox('tags', t, t);
      }))) : null,
      h('p', { 'class': 'filter-foot' }, [
        h('span', { id: 'match-count' }, ''), ' ',
        button('Clear filters', function () {
          state.prefs.tests = []; state.prefs.kinds = []; state.prefs.tags = [];
          renderFilters();
          restart();
        }, { id: 'clear-filters' })
      ])
    ]);
    updateMatchCount();
  }

  function updateMatchCount() {
    var n = CARDS.filter(matches).length;
    var filtered = state.prefs.tests.length + state.prefs.kinds.length + state.prefs.tags.length;
    $('match-count').textContent = n + ' of ' + plural(CARDS.length, 'card') + ' match';
    $('filter-summary').textContent = filtered ? 'Filters (' + plural(n, 'card') + ')' : 'Filters';
  }

  /** Filters or shuffle changed: both runs start again (the boxes are kept). */
  function restart() {
    state.runs = {};
    updateMatchCount();
    save();
    render();
  }

  /* ---------- one card ---------- */

  var keys = {}; // what the keyboard can do on the current screen: reveal, wrong, right, next, pick[]

  function kindLine(card) {
    var q = card.q;
    var parts = [KINDS[q.kind], q.tests === 'event' ? 'event' : 'claim', state.boxes[card.id] ? 'box ' + box(card.id) : 'new'];
    return h('p', { 'class': 'kind' }, parts.join(' · '));
  }

  function clozeText(q, n, revealed) {
    return q.segments.map(function (s) {
      if (typeof s === 'string') return s;
      if (s.n !== n) return s.answer;
      if (revealed) return h('mark', { 'class': 'filled' }, s.answer);
      return h('span', { 'class': 'blank' }, ['[', h('span', { 'class': 'sr' }, 'blank: '), s.hint || '…', ']']);
    });
  }

  /** The question side of a card. */
  function front(card, revealed) {
    var q = card.q;
    var out = [kindLine(card)];
    if (q.kind === 'cloze') {
      out.push(h('p', { 'class': 'prompt-label' }, 'Fill in the blank'));
      out.push(h('p', { 'class': 'prompt', dir: 'auto' }, clozeText(q, card.n, revealed)));
    } else if (q.kind === 'truefalse') {
      out.push(h('p', { 'class': 'prompt-label' }, 'True or false?'));
      out.push(h('p', { 'class': 'prompt', dir: 'auto' }, q.statement));
    } else {
      out.push(h('p', { 'class': 'prompt', dir: 'auto' }, q.prompt));
      if (q.kind === 'attribution') out.push(h('blockquote', { 'class': 'claim', dir: 'auto' }, q.claim));
    }
    return out;
  }

  function rightOrder(q) {
    return h('ol', { 'class': 'right-order' }, q.events.map(function (e) {
      return h('li', { dir: 'auto' }, [e.when ? h('span', { 'class': 'date' }, e.when) : null, e.when ? ' ' : null, e.text]);
    }));
  }

  /** The answer, the date, the explanation and the source. */
  function back(card) {
    var q = card.q;
    var out = [];
    if (q.kind === 'qa') out.push(h('p', { 'class': 'answer', dir: 'auto' }, q.answer));
    if (q.kind === 'mcq' || q.kind === 'attribution') out.push(h('p', { 'class': 'answer', dir: 'auto' }, q.choices[q.right]));
    if (q.kind === 'truefalse') {
      out.push(h('p', { 'class': 'answer' }, q.answer ? 'True' : 'False'));
      if (q.correction) out.push(h('p', { 'class': 'correction', dir: 'auto' }, [h('strong', null, 'In fact: '), q.correction]));
    }
    if (q.kind === 'order') out.push(h('p', { 'class': 'prompt-label' }, 'The right order:'), rightOrder(q));
    if (q.when) out.push(h('p', { 'class': 'when-line' }, [h('strong', null, 'When: '), h('bdi', null, q.when)]));
    if (q.explanation) out.push(h('p', { 'class': 'explanation', dir: 'auto' }, q.explanation));
    out.push(sourcesView(q));
    return out;
  }

  function staticChoices(q, revealed) {
    return h('ol', { 'class': 'choice-list' }, q.choices.map(function (c, i) {
      var right = revealed && i === q.right;
      return h('li', { 'class': right ? 'right' : null, dir: 'auto' }, [c, right ? h('span', { 'class': 'verdict' }, ' ✓ right answer') : null]);
    }));
  }

  /* flashcards */

  function renderFlashcard(r, card, revealed) {
    var q = card.q;
    var box_ = $('card');
    add(box_, front(card, revealed));
    if (q.kind === 'mcq' || q.kind === 'attribution') box_.appendChild(staticChoices(q, revealed));
    if (q.kind === 'order' && !revealed) {
      box_.appendChild(h('ol', { 'class': 'choice-list' }, q.start.map(function (i) {
        return h('li', { dir: 'auto' }, q.events[i].text);
      })));
    }
    var actions = $('actions');
    if (!revealed) {
      var reveal = function () { renderCard(true); };
      actions.appendChild(button('Show answer', reveal, { id: 'reveal', 'class': 'primary', 'aria-keyshortcuts': 'Space' }));
      keys.reveal = reveal;
      return;
    }
    add(box_, h('div', { 'class': 'back', id: 'back' }, back(card)));
    var again = function () { grade(r, card.id, false, true); render(); };
    var got = function () { grade(r, card.id, true, false); render(); };
    add(actions, [
      button('Again', again, { id: 'again', 'class': 'again', 'aria-keyshortcuts': '1 ArrowLeft', 'aria-label': 'Again: show this card later' }),
      button('Got it', got, { id: 'got', 'class': 'got', 'aria-keyshortcuts': '2 ArrowRight', 'aria-label': 'Got it: next card' })
    ]);
    keys.wrong = again;
    keys.right = got;
  }

  /* quiz */

  function feedback(ok, text) {
    return h('p', { 'class': ok ? 'feedback good' : 'feedback bad', id: 'feedback', role: 'status', dir: 'auto' },
      [h('strong', null, ok ? '✓ Right. ' : '✗ Not quite. '), text]);
  }

  function afterAnswer(r, card, ok, message) {
    grade(r, card.id, ok, false); // graded now, so a reload shows the next card
    var box_ = $('card');
    box_.appendChild(feedback(ok, message));
    add(box_, h('div', { 'class': 'back', id: 'back' }, back(card)));
    var next = function () { render(); };
    var actions = clear($('actions'));
    actions.appendChild(button(r.i >= r.queue.length ? 'See the score' : 'Next', next,
      { id: 'next', 'class': 'primary', 'aria-keyshortcuts': 'Enter ArrowRight Space' }));
    keys = { next: next };
    updateProgress(r);
    $('next').focus({ preventScroll: true });
  }

  function choiceQuiz(r, card, labels, rightIndex, message) {
    var list = h('div', { 'class': 'choices', role: 'group', 'aria-label': 'Choices' });
    var buttons = labels.map(function (label, i) {
      return button([h('span', { 'class': 'num', 'aria-hidden': 'true' }, String(i + 1)), h('span', { dir: 'auto' }, label)], function () {
        buttons.forEach(function (b, j) {
          b.disabled = true;
          if (j === rightIndex) { b.classList.add('right'); b.appendChild(h('span', { 'class': 'verdict' }, ' ✓ right answer')); }
        });
        if (i !== rightIndex) { buttons[i].classList.add('wrong'); buttons[i].appendChild(h('span', { 'class': 'verdict' }, ' ✗ your answer')); }
        afterAnswer(r, card, i === rightIndex, i === rightIndex ? '' : message);
      }, { 'class': 'choice', 'aria-keyshortcuts': String(i + 1) });
    });
    add(list, buttons);
    $('card').appendChild(list);
    keys.pick = buttons.map(function (b) { return function () { if (!b.disabled) b.click(); }; });
  }

  function orderQuiz(r, card) {
    var q = card.q;
    var order = q.start.slice();
    var list = h('ol', { 'class': 'order', id: 'order' });
    function draw(result) {
      clear(list);
      order.forEach(function (ev, pos) {
        var text = q.events[ev].text;
        var verdict = result ? (ev === pos ? ' ✓' : ' ✗') : null;
        var li = h('li', { 'class': 'order-item' + (result ? (ev === pos ? ' right' : ' wrong') : ''), 'data-event': ev }, [
          h('span', { 'class': 'order-text', dir: 'auto' }, [text, verdict ? h('span', { 'class': 'verdict' }, verdict) : null]),
          h('span', { 'class': 'moves' }, [
            button('↑', function () { move(pos, -1); }, { 'class': 'up', 'aria-label': 'Move up: ' + text, disabled: result || pos === 0 }),
            button('↓', function () { move(pos, 1); }, { 'class': 'down', 'aria-label': 'Move down: ' + text, disabled: result || pos === order.length - 1 })
          ])
        ]);
        list.appendChild(li);
      });
    }
    function move(pos, step) {
      var other = pos + step;
      var t = order[pos]; order[pos] = order[other]; order[other] = t;
      draw(false);
      // keep the keyboard on the moved event
      var moved = list.children[other].querySelector(step < 0 ? '.up' : '.down');
      if (moved && !moved.disabled) moved.focus(); else list.children[other].querySelector('button:not([disabled])').focus();
    }
    draw(false);
    $('card').appendChild(list);
    var check = function () {
      var placed = order.filter(function (ev, pos) { return ev === pos; }).length;
      draw(true);
      var ok = placed === order.length;
      afterAnswer(r, card, ok, placed + ' of ' + order.length + ' in the right place.');
    };
    $('actions').appendChild(button('Check the order', check, { id: 'check', 'class': 'primary' }));
    keys.reveal = check;
  }

  function renderQuizCard(r, card, revealed) {
    var q = card.q;
    add($('card'), front(card, revealed));
    if (q.kind === 'mcq' || q.kind === 'attribution') {
      choiceQuiz(r, card, q.choices, q.right, 'The answer is: ' + q.choices[q.right]);
    } else if (q.kind === 'truefalse') {
      choiceQuiz(r, card, ['True', 'False'], q.answer ? 0 : 1, 'The statement is ' + (q.answer ? 'true.' : 'false.'));
    } else if (q.kind === 'order') {
      orderQuiz(r, card);
    } else if (!revealed) {
      var reveal = function () { renderCard(true); };
      $('actions').appendChild(button('Show answer', reveal, { id: 'reveal', 'class': 'primary', 'aria-keyshortcuts': 'Space' }));
      keys.reveal = reveal;
    } else {
      add($('card'), h('div', { 'class': 'back', id: 'back' }, back(card)));
      var wrong = function () { grade(r, card.id, false, false); render(); };
      var right = function () { grade(r, card.id, true, false); render(); };
      add($('actions'), [
        button('I was wrong', wrong, { id: 'again', 'class': 'again', 'aria-keyshortcuts': '1 ArrowLeft' }),
        button('I got it', right, { id: 'got', 'class': 'got', 'aria-keyshortcuts': '2 ArrowRight' })
      ]);
      keys.wrong = wrong;
      keys.right = right;
    }
  }

  /* ---------- the study view ---------- */

  function updateProgress(r) {
    var bar = $('progress');
    var total = r ? r.total : 0;
    var done = r ? r.done : 0;
    bar.setAttribute('aria-valuemax', String(total));
    bar.setAttribute('aria-valuenow', String(done));
    bar.setAttribute('aria-valuetext', done + ' of ' + total + ' cards done');
    $('progress-fill').style.width = (total ? Math.round(100 * done / total) : 0) + '%';
    var left = r ? r.queue.length - r.i : 0;
    $('count').textContent = r ? done + ' of ' + total + ' done' + (left ? ' · ' + left + ' to go' : '') : '';
  }

  function boxSummary() {
    var counts = [0, 0, 0, 0, 0];
    var fresh_ = 0;
    CARDS.forEach(function (c) { if (state.boxes[c.id]) counts[state.boxes[c.id][0] - 1]++; else fresh_++; });
    return 'Boxes 1–5: ' + counts.join(' · ') + (fresh_ ? ' · not seen yet: ' + fresh_ : '');
  }

  function renderEnd(r) {
    var mode = r.mode;
    var missed = r.missed.slice();
    var el = $('card');
    add(el, [
      h('h2', { id: 'score-title' }, 'Run finished'),
      h('p', { 'class': 'score', id: 'score', dir: 'auto' }, mode === 'cards'
        ? 'Got it first time: ' + r.right + ' of ' + r.total + '.'
        : 'Score: ' + r.right + ' of ' + r.total + ' right.'),
      h('p', { 'class': 'note' }, boxSummary())
    ]);
    var actions = $('actions');
    if (missed.length) {
      actions.appendChild(button('Again with the ' + missed.length + ' missed', function () {
        state.runs[mode] = newRun(mode, missed); save(); render();
      }, { id: 'again-missed' }));
    }
    var next = function () { state.runs[mode] = newRun(mode); save(); render(); };
    actions.appendChild(button('New run', next, { id: 'new-run', 'class': 'primary' }));
    keys.next = next;
  }

  function renderCard(revealed) {
    var mode = state.prefs.view;
    var r = run(mode);
    keys = {};
    clear($('card')).removeAttribute('data-card');
    clear($('actions'));
    updateProgress(r);
    $('ahead').hidden = !(r.ahead && r.i < r.queue.length);
    if (!r.queue.length) {
      add($('card'), [h('p', null, 'No card matches these filters.'),
        button('Clear filters', function () { $('clear-filters').click(); }, { 'class': 'primary' })]);
      return;
    }
    if (r.i >= r.queue.length) { renderEnd(r); return; }
    var card = BY_ID[r.queue[r.i]];
    $('card').setAttribute('data-card', card.id);
    if (mode === 'cards') renderFlashcard(r, card, revealed);
    else renderQuizCard(r, card, revealed);
  }

  /* ---------- views ---------- */

  function show(view, src) {
    state.prefs.view = view;
    save();
    render(src);
  }

  /** Show the current view; `keep` shows the study view as it was left (a revealed answer stays). */
  function render(src, keep) {
    var view = state.prefs.view;
    var study = view === 'cards' || view === 'quiz';
    Array.prototype.forEach.call(document.querySelectorAll('[data-view]'), function (b) {
      var on = b.getAttribute('data-view') === view;
      if (on) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    });
    $('study').hidden = !study;
    $('timeline').hidden = view !== 'timeline';
    $('article').hidden = view !== 'article';
    if (study) {
      $('study-title').textContent = view === 'cards' ? 'Flashcards' : 'Quiz';
      $('shuffle').setAttribute('aria-pressed', String(state.prefs.shuffle));
      if (!keep) renderCard(false);
    } else {
      keys = {};
    }
    if (view === 'article') renderArticle(src);
    if (view !== 'article') returnTo = null;
  }

  /* ---------- keyboard ---------- */

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
    // Space and Enter on a focused control already press it
    var onControl = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
    var k = e.key;
    var act = null;
    if (k === ' ' || k === 'Spacebar') act = onControl ? null : (keys.reveal || keys.next);
    else if (k === 'Enter') act = onControl ? null : keys.next;
    else if (k === '1' || k === 'ArrowLeft') act = keys.wrong || (k === '1' && keys.pick && keys.pick[0]);
    else if (k === '2' || k === 'ArrowRight') act = keys.right || (k === '2' && keys.pick && keys.pick[1]) || (k === 'ArrowRight' && keys.next);
    else if (/^[3-9]$/.test(k)) act = keys.pick && keys.pick[Number(k) - 1];
    else if (k === 'ArrowDown' || k === 'ArrowUp') act = moveFocus(k === 'ArrowDown' ? 1 : -1);
    if (act) { e.preventDefault(); act(); }
  }

  /** Arrow keys step through the buttons of the current screen (choices, events, actions). */
  function moveFocus(step) {
    var scope = state.prefs.view === 'timeline' ? $('timeline') : (state.prefs.view === 'article' ? null : $('study-main'));
    if (!scope) return null;
    var list = Array.prototype.filter.call(scope.querySelectorAll('button'), function (b) {
      return !b.disabled && b.offsetParent !== null;
    });
    if (!list.length) return null;
    return function () {
      var at = list.indexOf(document.activeElement);
      var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + step));
      list[next].focus();
    };
  }

  /* ---------- start ---------- */

  function start() {
    renderArticleHead();
    renderFilters();
    renderTimeline();
    Array.prototype.forEach.call(document.querySelectorAll('[data-view]'), function (b) {
      b.addEventListener('click', function () { returnTo = null; show(b.getAttribute('data-view')); });
    });
    $('article-back').addEventListener('click', function () {
      var back = returnTo;
      returnTo = null;
      state.prefs.view = back ? back.view : 'cards';
      save();
      render(null, !!back);
      if (back) { keys = back.keys; window.scrollTo(0, back.y); }
    });
    $('shuffle').addEventListener('click', function () {
      state.prefs.shuffle = !state.prefs.shuffle;
      restart();
    });
    $('reset').addEventListener('click', function () { $('reset-confirm').hidden = false; $('reset-yes').focus(); });
    $('reset-no').addEventListener('click', function () { $('reset-confirm').hidden = true; });
    $('reset-yes').addEventListener('click', function () {
      eraseSaved();
      var view = state.prefs.view;
      state = fresh();
      state.prefs.view = view;
      $('reset-confirm').hidden = true;
      renderFilters();
      save();
      render();
    });
    document.addEventListener('keydown', onKey);
    render();
  }

  start();
})();
