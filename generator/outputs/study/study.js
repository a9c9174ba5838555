/* quizgen study page: flashcards scheduled by FSRS, quiz, timeline and the article, from the JSON
   data in the page. User text only ever enters the page as text nodes or attribute values, never
   as HTML. The scheduler is ts-fsrs (vendored, inlined before this script as the global FSRS). */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('quizgen-data').textContent);
  var ARTICLE = DATA.article;
  var KEY = 'quizgen:study:' + DATA.slug; // progress by card id: a rebuild keeps it
  var DUE_KEY = 'quizgen:due:' + DATA.slug; // for the index page: the study day each card is due
  var OLD_PREFIX = KEY + ':'; // the earlier pages: one key per question set, Leitner boxes
  var FORMAT = 'quizgen-study-progress';
  var DAY = 86400000;
  var UNDO_DEPTH = 20;
  var GUARD_MS = 400; // grade buttons stay inert this long after the answer shows
  var AGAIN_GAP = 3; // in practice and quiz runs, an "Again" card comes back after this many others
  // FSRS-6 with its default parameters and Anki's learning-step rules (schedule.js); the desired
  // retention and fuzz are settings, so the scheduler is made once the saved settings are read
  var SCHED = null;
  function makeScheduler() { SCHED = window.QuizgenSchedule.make({ retention: state.prefs.retention, fuzz: state.prefs.fuzz }); }
  /* quizgen's words in the page's language: the builder embeds the catalogue's translations of
     every tr() and trn() message of this script (English: none, the messages as written). */
  var I18N = JSON.parse(document.getElementById('quizgen-messages').textContent);
  var RTL = I18N.dir === 'rtl';
  function fill(text, vars) {
    return text.replace(/%\((\w+)\)[sd]/g, function (m, name) {
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m;
    });
  }
  function tr(text, vars) {
    var t = I18N.messages[text];
    return fill(typeof t === 'string' && t ? t : text, vars);
  }
  function trn(n, one, many, vars) {
    var forms = I18N.plurals[one], form = n === 1 ? one : many;
    if (forms) {
      var category = 'other';
      try { category = new Intl.PluralRules(I18N.lang).select(n); } catch (e) { category = 'other'; }
      form = forms[category] || forms.other || form;
    }
    var all = { num: n };
    Object.keys(vars || {}).forEach(function (k) { all[k] = vars[k]; });
    return fill(form, all);
  }
  /* Each kind's name (in the page's language), face (how a card asks it: prompt, cloze, statement,
     choices, events) and whether it takes a typed answer: from its registration (generator/kinds/). */
  var KIND_OF = DATA.kinds;
  var KINDS = {};
  Object.keys(KIND_OF).forEach(function (k) { KINDS[k] = KIND_OF[k].label; });
  function face(q) { return KIND_OF[q.kind].face; }
  var TESTS = { event: tr('Events'), claim: tr('Claims') };
  var GRADES = [
    { r: 1, id: 'again', label: tr('Again'), cls: 'again' },
    { r: 2, id: 'hard', label: tr('Hard'), cls: 'hard' },
    { r: 3, id: 'good', label: tr('Good'), cls: 'got' },
    { r: 4, id: 'easy', label: tr('Easy'), cls: 'easy' }
  ];

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

  function cards(n) { return trn(n, '%(num)d card', '%(num)d cards'); }

  /** In a right-to-left page the buttons run from the right: ← and → swap meanings (and names). */
  function mirrored(keys) {
    return RTL ? keys.replace(/ArrowLeft|ArrowRight/g, function (a) { return a === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft'; }) : keys;
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  function button(label, onclick, attrs) {
    var a = { type: 'button', onclick: onclick };
    Object.keys(attrs || {}).forEach(function (k) { a[k] = attrs[k]; });
    return h('button', a, label);
  }

  function focus(el) { if (el) el.focus({ preventScroll: true }); }

  /* ---------- cards: one per question, one per deletion number of a cloze ---------- */

  var CARDS = [];
  var BY_ID = {};
  DATA.questions.forEach(function (q) {
    var numbers = face(q) === 'cloze' ? q.numbers : [0];
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

  /* ---------- saved state: a review log, checked piece by piece ---------- */

  /* The truth is an append-only log of events, each named by the device that wrote it and that
     device's counter (`d`, `c`), with its time `t` (real ms):
       a grade   { id, r: rating 1-4, a: the answer typed (if any), ms: time taken (if known) }
       a state   { k: 'set', id, rec }: a card's FSRS record as the pages before the log kept it
       a reset   { k: 'reset', upto: { device: counter }, ids: null | [card ids] }: erases the
                 events it knew of (those of each device up to its counter), of those cards (all: null)
       an undo   { k: 'undo', of: 'device:counter' }: takes back that grade or reset
       a suspend { k: 'suspend', id, on: true | false }: the card leaves (or rejoins) the schedule
     A card's schedule is the replay of its events in the order of (time, device, counter), so
     merging two tabs, importing a backup and syncing are set unions: no grade is ever lost. */

  function isInt(x, lo, hi) { return typeof x === 'number' && x % 1 === 0 && x >= lo && x <= hi; }
  function isNum(x, lo, hi) { return typeof x === 'number' && isFinite(x) && x >= lo && x <= hi; }
  function isId(x) { return typeof x === 'string' && x.length > 0 && x.length <= 200; }
  var DEVICE_RE = /^[A-Za-z0-9_-]{1,40}$/;
  var EVENT_KEY_RE = /^[A-Za-z0-9_-]{1,40}:[0-9]{1,15}$/;

  function strings(list, allowed) {
    return Array.isArray(list) ? list.filter(function (x) { return allowed.indexOf(x) >= 0; }) : [];
  }

  function knownIds(list) {
    return Array.isArray(list) ? list.filter(function (id) { return BY_ID.hasOwnProperty(id); }) : [];
  }

  function newDevice() {
    var bytes = new Uint8Array(9);
    try { window.crypto.getRandomValues(bytes); } catch (e) {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map.call(bytes, function (b) { return 'abcdefghijklmnopqrstuvwxyz0123456789'.charAt(b % 36); }).join('');
  }

  function fresh() {
    return {
      v: 3,
      device: newDevice(), // this browser's name in the log
      log: [], // the events (see above)
      prefs: { view: 'cards', tests: [], kinds: [], tags: [], shuffle: false, newPerDay: 20, buttons: 4, dayStart: 4, retention: 0.9, fuzz: true },
      runs: {}, // 'quiz' and 'practice' runs in progress; they never touch the schedule
      sync: { learner: null, cursor: 0, pushed: 0, store: null } // with quizgen serve: the learner's code, the server's cursor, events sent, the server's store
    };
  }

  /** One card's FSRS record, its times on the study clock (see clock()); f = the study day it was
      first seen. (m: when an earlier page wrote it.) */
  function cleanRecord(r) {
    if (!r || typeof r !== 'object' || !isNum(r.m, 0, 1e15) || r.st === undefined) return null;
    if (!isInt(r.st, 0, 3) || !isNum(r.due, 0, 1e15) || !isNum(r.s, 0, 1e6) || !isNum(r.d, 0, 11) ||
        !isInt(r.ls, 0, 100) || !isInt(r.r, 0, 1e6) || !isInt(r.l, 0, 1e6) || !isNum(r.sd, 0, 1e6) ||
        !isNum(r.ed, 0, 1e6) || !isNum(r.lr, 0, 1e15) || !isInt(r.f, 0, 1e7)) return null;
    return { m: r.m, st: r.st, due: r.due, s: r.s, d: r.d, ls: r.ls, r: r.r, l: r.l, sd: r.sd, ed: r.ed, lr: r.lr, f: r.f };
  }

  /** One event as written, or null when any part of it is not what the page writes. */
  function cleanEvent(e) {
    if (!e || typeof e !== 'object' || typeof e.d !== 'string' || !DEVICE_RE.test(e.d) ||
        !isInt(e.c, 1, 1e15) || !isNum(e.t, 0, 1e15)) return null;
    var out = { d: e.d, c: e.c, t: e.t };
    if (e.k === 'reset') {
      if (!e.upto || typeof e.upto !== 'object' || Array.isArray(e.upto)) return null;
      out.k = 'reset';
      out.upto = {};
      var ok = Object.keys(e.upto).every(function (d) { out.upto[d] = e.upto[d]; return DEVICE_RE.test(d) && isInt(e.upto[d], 0, 1e15); });
      if (!ok) return null;
      if (e.ids === null || e.ids === undefined) out.ids = null;
      else if (Array.isArray(e.ids) && e.ids.every(isId)) out.ids = e.ids.slice();
      else return null;
      return out;
    }
    if (e.k === 'undo') {
      if (typeof e.of !== 'string' || !EVENT_KEY_RE.test(e.of)) return null;
      out.k = 'undo';
      out.of = e.of;
      return out;
    }
    if (!isId(e.id)) return null;
    out.id = e.id;
    if (e.k === 'suspend') {
      if (typeof e.on !== 'boolean') return null;
      out.k = 'suspend';
      out.on = e.on;
      return out;
    }
    if (e.k === 'set') {
      var rec = cleanRecord(e.rec);
      if (!rec) return null;
      out.k = 'set';
      out.rec = rec;
      return out;
    }
    if (e.k !== undefined || !isInt(e.r, 1, 4)) return null;
    out.r = e.r;
    if (typeof e.a === 'string') out.a = e.a.slice(0, 500);
    if (isInt(e.ms, 0, 864e5)) out.ms = e.ms;
    return out;
  }

  function eventKey(e) { return e.d + ':' + e.c; }

  function cleanLog(raw) {
    return Array.isArray(raw) ? raw.map(cleanEvent).filter(function (e) { return e; }) : [];
  }

  /** The records the pages before the log kept (by card id) as 'set' events of this device. */
  function recordsAsEvents(raw, device, counter) {
    var list = [];
    if (raw && typeof raw === 'object') {
      Object.keys(raw).forEach(function (id) {
        var rec = isId(id) ? cleanRecord(raw[id]) : null; // a card put back to new ({ m }) has nothing to keep
        if (rec) list.push({ k: 'set', id: id, rec: rec, t: rec.m });
      });
    }
    list.sort(function (a, b) { return a.t - b.t || (a.id < b.id ? -1 : 1); });
    list.forEach(function (e, i) { e.d = device; e.c = counter + i + 1; });
    return list;
  }

  function cleanRun(run, mode) {
    if (!run || typeof run !== 'object') return null;
    var queue = knownIds(run.queue);
    if (!queue.length || queue.length !== (Array.isArray(run.queue) ? run.queue.length : -1)) return null;
    var total = 0;
    var seen = {};
    queue.forEach(function (id) { if (!seen[id]) { seen[id] = true; total++; } });
    return {
      mode: mode, queue: queue, total: total,
      i: isInt(run.i, 0, queue.length) ? run.i : 0,
      done: isInt(run.done, 0, total) ? run.done : 0,
      right: isInt(run.right, 0, total) ? run.right : 0,
      missed: knownIds(run.missed)
    };
  }

  var LEARNER_RE = /^[a-z0-9]{20,64}$/;
  var STORE_RE = /^[a-z0-9]{1,64}$/;

  function cleanSync(raw) {
    var out = { learner: null, cursor: 0, pushed: 0, store: null };
    if (raw && typeof raw === 'object' && typeof raw.learner === 'string' && LEARNER_RE.test(raw.learner)) {
      out.learner = raw.learner;
      if (isInt(raw.cursor, 0, 1e15)) out.cursor = raw.cursor;
      if (isInt(raw.pushed, 0, 1e9)) out.pushed = raw.pushed;
      if (typeof raw.store === 'string' && STORE_RE.test(raw.store)) out.store = raw.store;
    }
    return out;
  }

  /** A saved state; an earlier page's (v2: a record per card) becomes the start of the log. */
  function clean(raw) {
    var s = fresh();
    if (!raw || typeof raw !== 'object') return s;
    if (typeof raw.device === 'string' && DEVICE_RE.test(raw.device)) s.device = raw.device;
    s.log = cleanLog(raw.log);
    if (raw.v !== 3 && raw.cards) s.log = s.log.concat(recordsAsEvents(raw.cards, s.device, 0));
    var p = raw.prefs || {};
    if (['cards', 'quiz'].indexOf(p.view) >= 0) s.prefs.view = p.view; // a reopened page starts on a study screen
    s.sync = cleanSync(raw.sync);
    s.prefs.tests = strings(p.tests, Object.keys(TESTS));
    s.prefs.kinds = strings(p.kinds, PRESENT_KINDS);
    s.prefs.tags = strings(p.tags, ALL_TAGS);
    s.prefs.shuffle = p.shuffle === true;
    if (isInt(p.newPerDay, 0, 9999)) s.prefs.newPerDay = p.newPerDay;
    if (p.buttons === 2 || p.buttons === 4) s.prefs.buttons = p.buttons;
    if (isInt(p.dayStart, 0, 23)) s.prefs.dayStart = p.dayStart;
    if (isNum(p.retention, 0.7, 0.99)) s.prefs.retention = p.retention;
    if (p.fuzz === false) s.prefs.fuzz = false;
    if (raw.runs && typeof raw.runs === 'object') {
      ['quiz', 'practice'].forEach(function (mode) {
        var run = cleanRun(raw.runs[mode], mode);
        if (run) s.runs[mode] = run;
      });
    }
    return s;
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

  /** The page cannot keep progress: refused (private mode, a file) or, with `full`, out of room. */
  function noMemory(full) {
    memory = false;
    var note = $(full ? 'memory-full' : 'memory');
    if (note) note.hidden = false;
  }

  function isFull(e) {
    return e && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED' || e.code === 22);
  }

  function readKey(s, key) {
    try {
      var raw = s.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      return null; // unreadable progress is no progress
    }
  }

  /** Keys of the earlier pages (`<slug>:<question-set hash>`, Leitner boxes). */
  function oldKeys(s) {
    var keys = [];
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(OLD_PREFIX) === 0 && /^[0-9a-f]{12}$/.test(k.slice(OLD_PREFIX.length))) keys.push(k);
    }
    return keys;
  }

  /** Leitner boxes become FSRS review cards: box 1 due today, boxes 2-5 with a stability of 1, 2, 4
      and 8 days, due after that many days. Sessions were not days, so no more is trusted. */
  function migrate(s, now) {
    var best = null;
    oldKeys(s).forEach(function (k) {
      var raw = readKey(s, k);
      if (raw && raw.boxes && typeof raw.boxes === 'object' &&
          (!best || (isInt(raw.session, 0, 1e9) ? raw.session : 0) > best.session)) {
        best = { session: isInt(raw.session, 0, 1e9) ? raw.session : 0, boxes: raw.boxes };
      }
    });
    var cards = {};
    if (best) {
      var c = clock(now);
      Object.keys(best.boxes).forEach(function (id) {
        var b = best.boxes[id];
        if (!BY_ID.hasOwnProperty(id) || !Array.isArray(b) || !isInt(b[0], 1, 5)) return;
        var days = [0, 1, 2, 4, 8][b[0] - 1];
        cards[id] = { m: now, st: 2, due: c + days * DAY, s: Math.max(days, 0.5), d: 5, ls: 0, r: b[0], l: 0,
                      sd: days, ed: 0, lr: c, f: 0 }; // f: 0, not today: no new card of today's
      });
    }
    return cards;
  }

  function loadSaved() {
    var s = storage();
    if (!s) { noMemory(); return fresh(); }
    try {
      var raw = readKey(s, KEY);
      var st = clean(raw);
      var old = oldKeys(s);
      if (raw && raw.v !== 3) s.setItem(KEY, JSON.stringify(st)); // the records of an earlier page, now a log
      if (old.length) {
        if (!raw) st.log = recordsAsEvents(migrate(s, Date.now()), st.device, 0);
        s.setItem(KEY, JSON.stringify(st));
        old.forEach(function (k) { s.removeItem(k); });
      }
      return st;
    } catch (e) {
      noMemory();
      return fresh();
    }
  }

  /** Write our state, merged with what another tab may have saved since. */
  function save() {
    if (!memory) return;
    var s;
    try {
      s = storage();
      if (!s) { noMemory(); return; }
      var theirs = readKey(s, KEY);
      if (theirs) absorb(theirs);
    } catch (e) {
      noMemory();
      return;
    }
    try {
      s.setItem(KEY, JSON.stringify(state));
      s.setItem(DUE_KEY, JSON.stringify(dueSummary()));
    } catch (e) {
      noMemory(isFull(e)); // refused, or full: then the storage could be read, so it is not private mode
    }
  }

  /** What the index page shows (index/due.js): the study day each scheduled card is due. */
  function dueSummary() {
    var due = [];
    Object.keys(cardState).forEach(function (id) {
      if (BY_ID.hasOwnProperty(id) && !SUSPENDED[id]) due.push(dayOf(cardState[id].due));
    });
    return { v: 1, dayStart: state.prefs.dayStart, due: due.sort(function (a, b) { return a - b; }) };
  }

  function persist() {
    try {
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    } catch (e) { /* not offered here */ }
  }

  var state = fresh(); // the prefs are needed by clock() during a migration
  state = loadSaved();

  /* ---------- the log: its index, merging, and the replay ---------- */

  var SEEN = {}; // event key -> true, for the log in state.log
  var BY_CARD = {}; // card id -> its grade and state events
  var own = 0; // the highest counter of this device's events
  var ownTime = 0; // the latest time of this device's events: a clock set back never goes before it
  var cardState = {}; // card id -> its record, the replay of its events

  function index(e) {
    SEEN[eventKey(e)] = true;
    if (e.id !== undefined) (BY_CARD[e.id] = BY_CARD[e.id] || []).push(e);
    if (e.d === state.device) { own = Math.max(own, e.c); ownTime = Math.max(ownTime, e.t); }
  }

  function reindex() {
    SEEN = {}; BY_CARD = {}; own = 0; ownTime = 0;
    var list = state.log;
    state.log = [];
    list.forEach(function (e) { if (!SEEN[eventKey(e)]) { state.log.push(e); index(e); } });
  }

  /** Add events not yet in the log (a set union); returns the ids of the cards they touch ('*' for all). */
  function addEvents(list) {
    var touched = {};
    list.forEach(function (e) {
      if (SEEN[eventKey(e)]) return;
      state.log.push(e);
      index(e);
      if (e.id !== undefined) touched[e.id] = true; else touched['*'] = true;
    });
    return touched;
  }

  function byOrder(a, b) { return a.t - b.t || (a.d < b.d ? -1 : (a.d > b.d ? 1 : 0)) || a.c - b.c; }

  /** Undo events in force: an undo is itself never undone. */
  function undone() {
    var out = {};
    state.log.forEach(function (e) { if (e.k === 'undo') out[e.of] = true; });
    return out;
  }

  function resets(gone) {
    return state.log.filter(function (e) { return e.k === 'reset' && !gone[eventKey(e)]; });
  }

  function erased(e, list) {
    return list.some(function (r) { return (r.upto[e.d] || 0) >= e.c && (r.ids === null || r.ids.indexOf(e.id) >= 0); });
  }

  /** The events of one card that count, in order. */
  function liveEvents(id, gone, rs) {
    return (BY_CARD[id] || []).filter(function (e) { return !gone[eventKey(e)] && !erased(e, rs); }).sort(byOrder);
  }

  /** One grade on a record (null: a new card) at study-clock time `c` (schedule.js). */
  function step(rec, rating, c) { return SCHED.step(rec, rating, c, dayOf(c)); }

  var SUSPENDED = {}; // card id -> true: left out of the schedule (a leech, say)

  /** Replay one card's events; `each(event, record before, record after)` sees every grade. */
  function replayCard(id, gone, rs, each) {
    var rec = null;
    var off = false;
    liveEvents(id, gone, rs).forEach(function (e) {
      if (e.k === 'suspend') { off = e.on; return; }
      if (e.k === 'set') { rec = JSON.parse(JSON.stringify(e.rec)); delete rec.m; return; }
      var before = rec;
      rec = step(rec, e.r, clock(e.t));
      if (each) each(e, before, rec);
    });
    if (off) SUSPENDED[id] = true; else delete SUSPENDED[id];
    if (rec) cardState[id] = rec; else delete cardState[id];
  }

  /** Replay the cards in `ids` (an object of ids; '*' or none: every card). */
  function replay(ids) {
    var gone = undone();
    var rs = resets(gone);
    var all = !ids || ids['*'];
    (all ? Object.keys(BY_ID) : Object.keys(ids)).forEach(function (id) { if (BY_ID.hasOwnProperty(id)) replayCard(id, gone, rs); });
    if (all) Object.keys(cardState).forEach(function (id) { if (!BY_ID.hasOwnProperty(id)) delete cardState[id]; });
  }

  /** Take in another copy of the log (another tab's, an imported file's, the server's); returns
      how many cards changed. */
  function absorbEvents(list) {
    var touched = addEvents(list);
    if (!Object.keys(touched).length) return 0;
    var before = JSON.stringify(cardState);
    var was = JSON.parse(before);
    replay(touched);
    if (JSON.stringify(cardState) === before) return 0;
    var n = 0;
    Object.keys(BY_ID).forEach(function (id) { if (JSON.stringify(was[id]) !== JSON.stringify(cardState[id])) n++; });
    return n;
  }

  function absorb(raw) {
    if (!raw || typeof raw !== 'object') return 0;
    var theirs = cleanSync(raw.sync); // another tab paired this browser, or synced further
    if (theirs.learner && theirs.learner !== state.sync.learner && !state.sync.learner) state.sync = theirs;
    return absorbEvents(cleanLog(raw.log));
  }

  /** What another tab of this browser saved since we last looked (a set union). */
  function fromStorage() {
    if (!memory) return;
    try {
      var s = storage();
      var theirs = s ? readKey(s, KEY) : null;
      if (theirs) absorb(theirs);
    } catch (err) { /* save() tells */ }
  }

  /** A new event of this device: the next counter, and a time never before its last event's. */
  function append(e) {
    fromStorage();
    e.d = state.device;
    e.c = own + 1;
    e.t = Math.max(Date.now(), ownTime);
    addEvents([e]);
    return e;
  }

  makeScheduler();
  reindex();
  replay(null);

  /* ---------- the study clock and the schedule ---------- */

  /** The learner's local time less the day boundary (4 a.m. by default), written as if it were UTC:
      ts-fsrs counts days between UTC dates, so its days are then the learner's study days. */
  function clock(t) {
    var d = new Date(t - state.prefs.dayStart * 3600000);
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  }

  function dayOf(c) { return Math.floor(c / DAY); }

  function studied(id) { var r = cardState[id]; return r && r.st !== undefined ? r : null; }

  /** What each grade would do to this card now: { rating: record } (as the log will replay it). */
  function outcomes(id, now) {
    var c = clock(Math.max(now, ownTime));
    var r = studied(id);
    var out = {};
    GRADES.forEach(function (g) { out[g.r] = step(r, g.r, c); });
    return out;
  }

  function introducedToday(day) {
    var n = 0;
    Object.keys(cardState).forEach(function (id) { var r = studied(id); if (r && r.f === day) n++; });
    return n;
  }

  function matches(card) {
    var p = state.prefs;
    var q = card.q;
    return (!p.tests.length || p.tests.indexOf(q.tests) >= 0) &&
      (!p.kinds.length || p.kinds.indexOf(q.kind) >= 0) &&
      (!p.tags.length || q.tags.some(function (t) { return p.tags.indexOf(t) >= 0; }));
  }

  /** A number from a string, for a shuffle that stays the same all day (so toggling it loses nothing). */
  function hash(text) {
    var x = 2166136261;
    for (var i = 0; i < text.length; i++) { x ^= text.charCodeAt(i); x = Math.imul(x, 16777619) >>> 0; }
    return x;
  }

  function ordered(list, salt) {
    list = list.slice();
    if (state.prefs.shuffle) list.sort(function (a, b) { return hash(salt + a.id) - hash(salt + b.id) || a.index - b.index; });
    else list.sort(function (a, b) { return a.index - b.index; });
    return list;
  }

  /** Today, for the cards that match the filters: what is due, what is new, what comes next. */
  function today(now) {
    var c = clock(now);
    var day = dayOf(c);
    var learnNow = [], learnLater = [], review = [], news = [], tomorrow = 0;
    CARDS.forEach(function (card) {
      if (!matches(card)) return;
      var r = studied(card.id);
      if (SUSPENDED[card.id]) return;
      if (!r) { news.push(card); return; }
      var due = dayOf(r.due);
      if (due === day + 1) tomorrow++;
      if (due > day) return;
      if (r.st === 1 || r.st === 3) (r.due <= c ? learnNow : learnLater).push(card);
      else review.push(card);
    });
    var newLeft = Math.max(0, state.prefs.newPerDay - introducedToday(day));
    news = ordered(news, 'new').slice(0, newLeft);
    var byDue = function (a, b) { return cardState[a.id].due - cardState[b.id].due; };
    learnNow.sort(byDue);
    learnLater.sort(byDue);
    var queue = learnNow.concat(ordered(review, String(day)), news, learnLater);
    return { day: day, due: learnNow.length + learnLater.length + review.length, news: news.length, newLeft: newLeft,
             tomorrow: tomorrow, next: queue[0] || null, left: queue.length };
  }

  /* ---------- grading and undo ---------- */

  var undoStack = []; // keys of this tab's last grades and resets, to take back
  var shownAt = 0; // when the card on screen was shown: the time a grade took

  function gradeCard(id, rating, now, typed) {
    var e = { id: id, r: rating };
    if (typed !== undefined) e.a = String(typed).slice(0, 500);
    if (shownAt && now >= shownAt) e.ms = Math.min(now - shownAt, 864e5);
    append(e);
    undoStack.push(eventKey(e));
    if (undoStack.length > UNDO_DEPTH) undoStack.shift();
    replay(BY_CARD[id] ? (function () { var o = {}; o[id] = true; return o; })() : null);
    save();
    persist();
    syncSoon();
  }

  /** Take back this tab's last grade (or reset); returns the card id, '*' for a reset, or null. */
  function undo() {
    var key = undoStack.pop();
    if (!key) return null;
    var target = null;
    state.log.forEach(function (e) { if (eventKey(e) === key) target = e; });
    append({ k: 'undo', of: key });
    var ids = {};
    ids[target && target.id !== undefined ? target.id : '*'] = true;
    replay(ids);
    save();
    return target && target.id !== undefined ? target.id : '*';
  }

  /** Erase the progress of the cards in `ids` (null: every card) as far as this page knows it. */
  function resetProgress(ids) {
    fromStorage();
    var upto = {};
    state.log.forEach(function (e) { upto[e.d] = Math.max(upto[e.d] || 0, e.c); });
    var e = append({ k: 'reset', upto: upto, ids: ids });
    undoStack.push(eventKey(e));
    replay(null);
    save();
  }

  /* ---------- practice and quiz runs: they never change the schedule ---------- */

  function newRun(mode, only) {
    var pool = only ? only.map(function (id) { return BY_ID[id]; }) : CARDS.filter(matches);
    pool = state.prefs.shuffle ? shuffle(pool.slice()) : pool.slice().sort(function (a, b) { return a.index - b.index; });
    if (mode === 'practice' && !only) { // the soonest due first; new cards last
      var due = function (c) { var r = studied(c.id); return r ? r.due : Infinity; };
      pool.sort(function (a, b) { return due(a) - due(b); });
    }
    var queue = pool.map(function (c) { return c.id; });
    return { mode: mode, queue: queue, i: 0, total: queue.length, done: 0, right: 0, missed: [] };
  }

  function shuffle(list) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = list[i]; list[i] = list[j]; list[j] = t;
    }
    return list;
  }

  function runOf(mode) {
    if (!state.runs[mode]) { state.runs[mode] = newRun(mode); save(); }
    return state.runs[mode];
  }

  function gradeRun(r, id, right, again) {
    var missedBefore = r.missed.indexOf(id) >= 0;
    if (right) {
      if (!missedBefore) r.right += 1;
      r.done += 1;
    } else {
      if (!missedBefore) r.missed.push(id);
      if (again) r.queue.splice(Math.min(r.i + 1 + AGAIN_GAP, r.queue.length), 0, id);
      else r.done += 1;
    }
    r.i += 1;
    save();
  }

  /* ---------- typed answers, judged as a teacher would (judge.js) ---------- */

  var LANG = DATA.language || 'en';

  /** The verdict on a typed answer: { ok, how, matched, others: the other accepted answers }. */
  function judged(typed, card) {
    var want = expected(card);
    var accept = card.q.accept || [];
    var v = window.QuizgenJudge.judge(typed, want, accept, LANG);
    v.others = v.ok ? [want].concat(accept).filter(function (a) { return a !== v.matched; }) : [];
    return v;
  }

  function expected(card) {
    var q = card.q;
    if (face(q) !== 'cloze') return q.answer;
    return q.segments.filter(function (s) { return typeof s !== 'string' && s.n === card.n; })
      .map(function (s) { return s.answer; }).join(' ');
  }

  /* ---------- the article and sources ---------- */

  /** Block `b` of the article; a negative one is the title (-1) or the subtitle (-2), which passages may quote. */
  function blockOf(b) { return b >= 0 ? ARTICLE.blocks[b] : ARTICLE.head[-1 - b]; }

  function blockText(b) { return blockOf(b).text; }

  /** Text of block `b` from `lo` to `hi` with the passage span [start, end) marked. */
  function marked(b, start, end, lo, hi) {
    var t = blockText(b);
    return [t.slice(lo, start), h('mark', null, t.slice(start, end)), t.slice(end, hi)];
  }

  var returnTo = null; // where "Back" in the article goes: { view, y, keys }

  function openArticle(src) {
    returnTo = { view: view_(), y: window.scrollY, keys: keys, focus: document.activeElement };
    try { history.pushState({ quizgen: 'article' }, ''); returnTo.pushed = true; } catch (e) { /* no history here */ }
    show('article', src);
  }

  /** Back from the article to where the learner was (the card as it was left). */
  function goBack() {
    var back = returnTo;
    returnTo = null;
    setView(back ? back.view : 'cards');
    render(null, !!back);
    if (back) {
      keys = back.keys;
      window.scrollTo(0, back.y);
      if (back.focus && document.contains(back.focus)) focus(back.focus);
    }
  }

  /** A passage in its paragraph (or, with `short`, in its sentence) and a way into the whole article. */
  function sourceView(src, heading, short) {
    var first = src.spans[0];
    var label = blockOf(first[0]).label;
    var wrap = h('div', { 'class': 'source' }, h('p', { 'class': 'source-head' }, [
      heading ? h('span', { dir: 'auto' }, heading) : tr('Source'), ' · ', h('bdi', null, src.cite)
    ]));
    src.spans.forEach(function (s) {
      var t = blockText(s[0]);
      var lo = short ? s[3] : 0;
      var hi = short ? s[4] : t.length;
      wrap.appendChild(h('blockquote', { dir: 'auto' }, [lo > 0 ? '… ' : null].concat(
        marked(s[0], s[1], s[2], lo, hi), [hi < t.length ? ' …' : null])));
    });
    wrap.appendChild(button(tr('Read it in the article (%(label)s)', { label: label }), function () { openArticle(src); },
      { 'class': 'link' }));
    return wrap;
  }

  function sourcesView(q) {
    var many = q.sources.length > 1;
    return h('div', { 'class': 'sources' }, q.sources.map(function (src, i) {
      return sourceView(src, face(q) === 'events' ? q.events[i].text : null, many);
    }));
  }

  var marks = []; // the blocks now drawn with a passage marked

  function drawBlock(i, s) {
    var b = ARTICLE.blocks[i];
    var text = s ? marked(i, s[1], s[2], 0, b.text.length) : b.text;
    return h('p', { id: 'block-' + i, 'class': 'block ' + b.kind, tabindex: '-1', dir: 'auto' },
      [h('span', { 'class': 'label' }, b.label), ' '].concat(text));
  }

  /** The article, drawn once; opening it at a passage redraws only the blocks whose mark changes. */
  function renderArticle(src) {
    var body = $('article-body');
    if (!body.firstChild) ARTICLE.blocks.forEach(function (b, i) { body.appendChild(drawBlock(i, null)); });
    var spans = src ? src.spans : [];
    marks.concat(spans.map(function (s) { return s[0]; })).filter(function (i) { return i >= 0; }).forEach(function (i) {
      var s = null;
      spans.forEach(function (x) { if (x[0] === i) s = x; });
      body.replaceChild(drawBlock(i, s), $('block-' + i));
    });
    marks = spans.map(function (s) { return s[0]; });
    $('article-back').hidden = !returnTo;
    if (src) {
      var target = src.spans[0][0] >= 0 ? $('block-' + src.spans[0][0]) : $('article-title');
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'start' });
    }
  }

  function renderArticleHead() {
    var head = $('article-head');
    var facts = [ARTICLE.kind, ARTICLE.author ? tr('by %(author)s', { author: ARTICLE.author }) : null, ARTICLE.publication, ARTICLE.date]
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
        h('p', { 'class': 'when' }, h('bdi', null, node.when)),  // aligned with the page, its own direction inside
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
      el.appendChild(h('p', { 'class': 'note' }, tr('No question about this article carries a date.')));
      return;
    }
    if (t.ordered.length) {
      add(el, [h('p', { 'class': 'note' }, tr('In the order the chronology questions give. Tap an event to see where the article says it.')),
        timelineList(t.ordered, false)]);
    }
    if (t.loose.length) {
      add(el, [h('h3', null, t.ordered.length ? tr('Also dated in the article') : tr('Dated in the article')),
        h('p', { 'class': 'note' }, tr('No chronology question places these, so they are listed as the article tells them, not by date.')),
        timelineList(t.loose, true)]);
    }
  }

  /** Hide the timeline, keeping what the browser has laid out of it (study.css: .parked), or show it again. */
  function park(el, off) {
    el.hidden = false;
    el.classList.toggle('parked', off);
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
      filtersChanged();
    });
    return h('label', { 'class': 'check', 'for': id }, [input, h('span', { dir: 'auto' }, label)]);
  }

  function renderFilters() {
    var el = clear($('filter-body'));
    add(el, [
      h('fieldset', null, [h('legend', null, tr('What it tests'))].concat(Object.keys(TESTS).map(function (t) {
        return checkbox('tests', t, TESTS[t]);
      }))),
      h('fieldset', null, [h('legend', null, tr('Kind'))].concat(PRESENT_KINDS.map(function (k) {
        return checkbox('kinds', k, KINDS[k]);
      }))),
      ALL_TAGS.length ? h('fieldset', { 'class': 'tags' }, [h('legend', null, tr('Tags (any of)'))].concat(ALL_TAGS.map(function (t) {
        return checkbox('tags', t, t);
      }))) : null,
      h('p', { 'class': 'filter-foot' }, [
        h('span', { id: 'match-count' }, ''), ' ',
        button(tr('Clear filters'), function () {
          state.prefs.tests = []; state.prefs.kinds = []; state.prefs.tags = [];
          renderFilters();
          filtersChanged();
        }, { id: 'clear-filters' }),
        button(tr('Done'), closeFilters, { id: 'filters-done', 'class': 'primary' })
      ])
    ]);
    updateMatchCount();
  }

  function closeFilters() {
    $('filters').open = false;
    focus($('filter-summary'));
  }

  function updateMatchCount() {
    var n = CARDS.filter(matches).length;
    var filtered = state.prefs.tests.length + state.prefs.kinds.length + state.prefs.tags.length;
    $('match-count').textContent = trn(CARDS.length, '%(n)s of %(num)d card match', '%(n)s of %(num)d cards match', { n: n });
    $('filter-summary').textContent = filtered ? tr('Filters (%(cards)s)', { cards: cards(n) }) : tr('Filters');
  }

  /** Filters or shuffle changed. Today's cards follow at once (nothing is lost: the schedule is
      per card). A practice or quiz run in progress is kept; the change applies to the next one. */
  function filtersChanged() {
    updateMatchCount();
    var mode = runMode();
    var r = mode ? state.runs[mode] : null;
    if (r && (r.i === 0 || r.i >= r.queue.length)) { delete state.runs[mode]; r = null; }
    save();
    if (r) { showRunNote(); return; }
    render();
  }

  function showRunNote() {
    var mode = runMode();
    var note = $('run-note');
    clear(note);
    add(note, [mode === 'quiz' ? tr('Your quiz in progress is kept; the filters apply to the next one.') + ' ' :
      tr('Your practice run is kept; the filters apply to the next one.') + ' ',
    button(mode === 'quiz' ? tr('Start a new quiz now') : tr('Start a new run now'), function () {
      state.runs[mode] = newRun(mode); note.hidden = true; save(); render();
    }, { id: 'restart-run', 'class': 'link' })]);
    note.hidden = false;
  }

  /* ---------- settings and backup ---------- */

  function renderSettings() {
    var el = clear($('settings-body'));
    var perDay = h('input', { type: 'number', id: 'new-per-day', min: '0', max: '9999', inputmode: 'numeric', value: String(state.prefs.newPerDay) });
    perDay.addEventListener('change', function () {
      var n = Number(perDay.value);
      if (isInt(n, 0, 9999)) { state.prefs.newPerDay = n; save(); render(); } else perDay.value = String(state.prefs.newPerDay);
    });
    var dayStart = h('select', { id: 'day-start' });
    for (var hr = 0; hr < 24; hr++) {
      var opt = h('option', { value: String(hr) }, (hr < 10 ? '0' : '') + hr + ':00');
      if (hr === state.prefs.dayStart) opt.selected = true;
      dayStart.appendChild(opt);
    }
    dayStart.addEventListener('change', function () { state.prefs.dayStart = Number(dayStart.value); save(); render(); });
    var radios = [4, 2].map(function (n) {
      var input = h('input', { type: 'radio', name: 'buttons', id: 'buttons-' + n, value: String(n) });
      input.checked = state.prefs.buttons === n;
      input.addEventListener('change', function () { state.prefs.buttons = n; save(); });
      return h('label', { 'class': 'check', 'for': 'buttons-' + n }, [input, h('span', null, n === 4 ? tr('Again · Hard · Good · Easy') : tr('Again · Good'))]);
    });
    var retention = h('select', { id: 'retention' });
    [0.8, 0.85, 0.9, 0.95, 0.97].forEach(function (r) {
      var opt = h('option', { value: String(r) }, Math.round(r * 100) + ' %');
      if (Math.abs(r - state.prefs.retention) < 1e-9) opt.selected = true;
      retention.appendChild(opt);
    });
    var fuzz = h('input', { type: 'checkbox', id: 'fuzz' });
    fuzz.checked = state.prefs.fuzz;
    var rescheduled = function () { makeScheduler(); replay(null); save(); render(); };
    retention.addEventListener('change', function () { state.prefs.retention = Number(retention.value); rescheduled(); });
    fuzz.addEventListener('change', function () { state.prefs.fuzz = fuzz.checked; rescheduled(); });
    var file = h('input', { type: 'file', id: 'import-file', accept: '.json,application/json', 'class': 'file' });
    file.addEventListener('change', function () { if (file.files && file.files[0]) importFile(file.files[0]); file.value = ''; });
    add(el, [
      h('p', { 'class': 'field' }, [h('label', { 'for': 'new-per-day' }, tr('New cards a day')), perDay]),
      h('p', { 'class': 'field' }, [h('label', { 'for': 'day-start' }, tr('A new day starts at')), dayStart]),
      h('fieldset', null, [h('legend', null, tr('Grade buttons'))].concat(radios)),
      h('p', { 'class': 'field' }, [h('label', { 'for': 'retention' }, tr('Desired retention')), retention]),
      h('p', { 'class': 'note' }, tr('How likely you are to remember a card when it comes back: higher means more reviews.')),
      h('label', { 'class': 'check', 'for': 'fuzz' }, [fuzz, h('span', null, tr('Spread due dates a little, so that cards learned together do not all come back on the same day'))]),
      syncBox(),
      h('fieldset', { 'class': 'backup' }, [h('legend', null, tr('Backup')),
        h('p', { 'class': 'note' }, tr('Save your progress to a small file, and load it on another device or browser. Loading merges: every review of both is kept.')),
        button(tr('Export progress'), exportFile, { id: 'export' }),
        h('label', { 'for': 'import-file', 'class': 'file-label' }, tr('Import progress')), file,
        h('p', { id: 'backup-status', 'class': 'note', role: 'status' }, '')
      ])
    ]);
  }

  /* ---------- statistics, from the log ---------- */

  var LEECH = 8; // lapses that make a card a leech (Anki's default)

  /** What the log says: reviews and time per study day, retention by interval, the forecast, the streak, leeches. */
  function statistics(now) {
    var today = dayOf(clock(now));
    var perDay = {}, buckets = [[1, 1], [2, 6], [7, 20], [21, 1e9]].map(function (b) { return { lo: b[0], hi: b[1], n: 0, ok: 0 }; });
    var gone = undone(), rs = resets(gone);
    Object.keys(BY_ID).forEach(function (id) {
      replayCard(id, gone, rs, function (e, before) {
        var day = dayOf(clock(e.t));
        var d = perDay[day] = perDay[day] || { n: 0, ms: 0 };
        d.n++;
        d.ms += e.ms || 0;
        if (before && before.st === 2) { // a review of a card in review: was it remembered?
          var gap = Math.max(0, dayOf(clock(e.t)) - dayOf(before.lr));
          buckets.forEach(function (b) { if (gap >= b.lo && gap <= b.hi) { b.n++; if (e.r > 1) b.ok++; } });
        }
      });
    });
    var forecast = [];
    for (var i = 0; i < 30; i++) forecast.push(0);
    Object.keys(cardState).forEach(function (id) {
      if (SUSPENDED[id] || !BY_ID.hasOwnProperty(id)) return;
      var at = Math.max(0, dayOf(cardState[id].due) - today);
      if (at < 30) forecast[at]++;
    });
    var streak = 0;
    for (var day = perDay[today] ? today : today - 1; perDay[day]; day--) streak++;
    var leeches = Object.keys(cardState).filter(function (id) { return BY_ID.hasOwnProperty(id) && cardState[id].l >= LEECH; });
    return { today: today, perDay: perDay, buckets: buckets, forecast: forecast, streak: streak, leeches: leeches };
  }

  function dayLabel(day, today) {
    if (day === today) return tr('Today');
    var d = new Date(day * DAY);
    try { return d.toLocaleDateString(I18N.lang, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }); } catch (e) { return d.toISOString().slice(0, 10); }
  }

  function statTable(caption, heads, rows) {
    return h('table', { 'class': 'stat-table' }, [h('caption', null, caption),
      h('thead', null, h('tr', null, heads.map(function (x) { return h('th', { scope: 'col' }, x); }))),
      h('tbody', null, rows.map(function (r) { return h('tr', null, r.map(function (x, i) { return h(i ? 'td' : 'th', i ? null : { scope: 'row' }, String(x)); })); }))]);
  }

  function suspend(id, on) {
    append({ k: 'suspend', id: id, on: on });
    var o = {};
    o[id] = true;
    replay(o);
    save();
    syncSoon();
    renderStats();
    render();
  }

  function renderStats() {
    var el = clear($('stats-body'));
    var st = statistics(Date.now());
    var days = [];
    for (var d = st.today; d > st.today - 14; d--) days.push(d);
    var total = 0;
    Object.keys(st.perDay).forEach(function (k) { total += st.perDay[k].n; });
    add(el, [
      h('p', { id: 'streak' }, tr('Days in a row: %(n)s', { n: st.streak }) + ' · ' + tr('Reviews in all: %(n)s', { n: total })),
      statTable(tr('Reviews in the last 14 days'), [tr('Day'), tr('Reviews'), tr('Minutes')], days.map(function (day) {
        var x = st.perDay[day] || { n: 0, ms: 0 };
        return [dayLabel(day, st.today), x.n, Math.round(x.ms / 60000)];
      })),
      statTable(tr('Remembered, by days since the last review'), [tr('Interval'), tr('Reviews'), tr('Remembered')], st.buckets.map(function (b) {
        var label = b.hi > 1e8 ? tr('%(n)s days or more', { n: b.lo }) : (b.lo === b.hi ? trn(b.lo, '%(num)d day', '%(num)d days') : tr('%(lo)s to %(hi)s days', { lo: b.lo, hi: b.hi }));
        return [label, b.n, b.n ? Math.round(100 * b.ok / b.n) + ' %' : '–'];
      })),
      statTable(tr('Due in the next 30 days'), [tr('Day'), tr('Cards due')], st.forecast.map(function (n, i) {
        return [dayLabel(st.today + i, st.today), n];
      }).filter(function (row, i) { return i < 7 || row[1]; })),
      h('h4', null, tr('Leeches (forgotten 8 times or more)'))
    ]);
    var suspended = Object.keys(SUSPENDED);
    var list = st.leeches.concat(suspended.filter(function (id) { return st.leeches.indexOf(id) < 0; }));
    if (!list.length) { el.appendChild(h('p', { 'class': 'note', id: 'no-leeches' }, tr('None.'))); return; }
    el.appendChild(h('ul', { 'class': 'leeches', id: 'leeches' }, list.map(function (id) {
      var q = BY_ID[id].q;
      var off = !!SUSPENDED[id];
      return h('li', { 'data-card': id }, [h('span', { dir: 'auto' }, q.prompt || q.statement || q.claim || id), ' ',
        button(off ? tr('Unsuspend') : tr('Suspend'), function () { suspend(id, !off); }, { 'class': 'link' })]);
    })));
  }

  /* ---------- sync between a learner's devices, through quizgen serve (generator/tools/sync.py) ---------- */

  var syncing = false;
  var syncAgain = false; // asked for while a sync was under way: one more after it
  var syncTimer = 0;

  function newLearner() { return newDevice() + newDevice() + newDevice().slice(0, 4); } // 22 letters and digits

  function syncUrl() { return 'api/sync/' + encodeURIComponent(DATA.slug) + '/' + state.sync.learner; }

  function syncStatus(text) { var el = $('sync-status'); if (el) el.textContent = text; }

  function syncSoon() {
    if (!state.sync.learner) return;
    clearTimeout(syncTimer);
    syncTimer = setTimeout(function () { syncNow(); }, 1500);
  }

  /** Send the events the server may lack, take in those it has: a set union on both sides. Asked
      for during a sync (a press of "Sync now" while coming back online syncs), it runs once more
      after that one, which may have left before the other device's grades arrived. */
  function syncNow(then) {
    if (!state.sync.learner) return;
    if (syncing) { syncAgain = true; return; }
    syncing = true;
    syncAgain = false;
    var from = Math.min(state.sync.pushed, state.log.length);
    var events = state.log.slice(from, from + 1000);
    var sent = from + events.length;
    var asked = state.sync.cursor;
    var restart = false;
    fetch(syncUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, cache: 'no-store',
                       body: JSON.stringify({ cursor: state.sync.cursor, events: events }) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (b) {
          if (!r.ok) throw new Error(b.error || String(r.status));
          return b;
        });
      })
      .then(function (b) {
        var before = state.log.length;
        var n = absorbEvents(cleanLog(b.events));
        state.sync.pushed = sent === before ? state.log.length : Math.max(state.sync.pushed, sent);
        if (isInt(b.cursor, 0, 1e15)) state.sync.cursor = b.cursor;
        if (typeof b.store === 'string' && STORE_RE.test(b.store) && b.store !== state.sync.store) {
          // another database than the one the cursor counts in (the server's folder moved, its file
          // was deleted or replaced; or saved before stores had a name): send the whole log again
          // and read the server's from its start (a set union: nothing doubles)
          restart = state.sync.store !== null || from > 0 || asked > 0;
          state.sync.store = b.store;
        }
        if (b.restart === true) restart = true; // a cursor past the end of the server's file: a restored copy
        if (restart) { state.sync.cursor = 0; state.sync.pushed = 0; }
        save();
        syncing = false;
        syncStatus(tr('Synced: %(cards)s updated.', { cards: cards(n) }));
        if (n && view === 'cards' && !studying) render();
        if (state.sync.pushed < state.log.length || syncAgain || restart) syncNow(then); else if (then) then();
      })
      .catch(function (e) {
        syncing = false;
        syncAgain = false;
        syncStatus(tr('Not synced (%(why)s). Your progress is kept here and syncs when the server can be reached.', { why: String(e.message || e) }));
      });
  }

  function startSync(code) {
    state.sync = { learner: code, cursor: 0, pushed: 0, store: null };
    save();
    renderSettings();
    $('settings').open = true;
    syncNow();
  }

  function syncBox() {
    var box = h('fieldset', { 'class': 'sync', id: 'sync' }, [h('legend', null, tr('Sync between your devices'))]);
    if (!/^https?:$/.test(location.protocol)) {
      return add(box, h('p', { 'class': 'note' }, tr('Sync works when this page is opened from quizgen serve, not from a file.')));
    }
    if (!state.sync.learner) {
      var input = h('input', { type: 'text', id: 'sync-code', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', inputmode: 'text' });
      return add(box, [
        h('p', { 'class': 'note' }, tr('With quizgen serve, your phone and your laptop can share this progress: no account, no personal data, only your grades under a code.')),
        button(tr('Turn on sync'), function () { startSync(newLearner()); }, { id: 'sync-on' }),
        h('p', { 'class': 'field' }, [h('label', { 'for': 'sync-code' }, tr('Or enter the code shown on your other device')), input]),
        button(tr('Use this code'), function () {
          var code = input.value.replace(/[\s-]+/g, '').toLowerCase();
          if (LEARNER_RE.test(code)) startSync(code); else syncStatus(tr('That is not a sync code.'));
        }, { id: 'sync-join' }),
        h('p', { id: 'sync-status', 'class': 'note', role: 'status' }, '')
      ]);
    }
    var link = location.href.split('#')[0] + '#sync=' + state.sync.learner;
    return add(box, [
      h('p', null, [tr('Your sync code:') + ' ', h('code', { id: 'sync-show', dir: 'ltr' }, state.sync.learner)]),
      h('p', { 'class': 'note' }, tr('On your other device, open this page, then enter the code, or scan this code with its camera:')),
      h('img', { id: 'sync-qr', src: 'api/sync-qr?text=' + encodeURIComponent(link), width: '180', height: '180',
                 alt: tr('QR code of this page with your sync code') }),
      button(tr('Sync now'), function () { syncNow(); }, { id: 'sync-now' }),
      button(tr('Delete my progress from the server'), function () {
        fetch(syncUrl(), { method: 'DELETE', cache: 'no-store' }).then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          state.sync = cleanSync(null);
          save();
          renderSettings();
          $('settings').open = true;
          syncStatus(tr('Deleted from the server. Your progress on this device is kept.'));
        }).catch(function (e) { syncStatus(tr('Not deleted (%(why)s).', { why: String(e.message || e) })); });
      }, { id: 'sync-delete' }),
      h('p', { id: 'sync-status', 'class': 'note', role: 'status' }, '')
    ]);
  }

  function exportFile() {
    var body = JSON.stringify({ format: FORMAT, version: 2, slug: DATA.slug, exported: new Date().toISOString(), log: state.log });
    var url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
    var a = h('a', { href: url, download: DATA.slug + '-progress.json' });
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    $('backup-status').textContent = tr('Saved %(file)s (%(cards)s).', { file: DATA.slug + '-progress.json', cards: cards(Object.keys(cardState).length) });
  }

  /** A progress file's events: its log (version 2), or the records of version 1 as this device's. */
  function fileEvents(raw) {
    if (raw.version === 1) {
      var events = recordsAsEvents(raw.cards, state.device, own);
      // importing the same version-1 file twice adds nothing: its records are already in the log
      var have = {};
      state.log.forEach(function (e) { if (e.k === 'set') have[e.id + '@' + e.rec.m] = true; });
      events = events.filter(function (e) { return !have[e.id + '@' + e.rec.m]; });
      events.forEach(function (e, i) { e.c = own + i + 1; });
      return events;
    }
    return cleanLog(raw.log);
  }

  function importFile(file) {
    var status = $('backup-status');
    var reader = new FileReader();
    reader.onload = function () {
      var raw = null;
      try { raw = JSON.parse(String(reader.result)); } catch (e) { raw = null; }
      if (!raw || raw.format !== FORMAT || !(raw.version === 1 ? raw.cards && typeof raw.cards === 'object' : Array.isArray(raw.log))) {
        status.textContent = tr('That file is not a quizgen progress file.');
        return;
      }
      if (raw.slug !== DATA.slug) {
        status.textContent = tr('That file holds the progress of another article (%(slug)s).', { slug: String(raw.slug) });
        return;
      }
      fromStorage();
      var n = absorbEvents(fileEvents(raw));
      save();
      render();
      status.textContent = tr('Imported: %(cards)s updated.', { cards: cards(n) });
    };
    reader.readAsText(file);
  }

  /* ---------- one card ---------- */

  var keys = {}; // what the keyboard can do on the current screen: reveal, grade[], wrong, right, next, pick[]

  function kindLine(card, practice) {
    var q = card.q;
    var r = studied(card.id);
    var where = !r ? tr('new') : (r.st === 2 ? tr('review') : (r.st === 3 ? tr('relearning') : tr('learning')));
    var parts = [KINDS[q.kind], q.tests === 'event' ? tr('event') : tr('claim'), where];
    if (practice) parts.push(tr('practice'));
    return h('p', { 'class': 'kind' }, parts.join(' · '));
  }

  function clozeText(q, n, revealed) {
    return q.segments.map(function (s) {
      if (typeof s === 'string') return s;
      if (s.n !== n) return s.answer;
      if (revealed) return h('mark', { 'class': 'filled' }, s.answer);
      return h('span', { 'class': 'blank' }, ['[', h('span', { 'class': 'sr' }, tr('blank:') + ' '), s.hint || '…', ']']);
    });
  }

  /** The question side of a card. */
  function front(card, revealed, practice) {
    var q = card.q;
    var out = [kindLine(card, practice)];
    if (face(q) === 'cloze') {
      out.push(h('p', { 'class': 'prompt-label' }, tr('Fill in the blank')));
      out.push(h('p', { 'class': 'prompt', dir: 'auto' }, clozeText(q, card.n, revealed)));
    } else if (face(q) === 'statement') {
      out.push(h('p', { 'class': 'prompt-label' }, tr('True or false?')));
      out.push(h('p', { 'class': 'prompt', dir: 'auto' }, q.statement));
    } else {
      out.push(h('p', { 'class': 'prompt', dir: 'auto' }, q.prompt));
      if (q.claim) out.push(h('blockquote', { 'class': 'claim', dir: 'auto' }, q.claim));
    }
    return out;
  }

  function rightOrder(q) {
    return h('ol', { 'class': 'right-order' }, q.events.map(function (e) {
      return h('li', { dir: 'auto' }, [e.when ? h('span', { 'class': 'date' }, e.when) : null, e.when ? ' ' : null, e.text]);
    }));
  }

  /** The answer (unless the choices on screen already mark it), the date, the explanation, the source. */
  function back(card, choicesShown) {
    var q = card.q;
    var out = [];
    if (face(q) === 'prompt') out.push(h('p', { 'class': 'answer', dir: 'auto' }, q.answer));
    if (face(q) === 'choices' && !choicesShown) out.push(h('p', { 'class': 'answer', dir: 'auto' }, q.choices[q.right]));
    if (face(q) === 'statement') {
      if (!choicesShown) out.push(h('p', { 'class': 'answer' }, q.answer ? tr('True') : tr('False')));
      if (q.correction) out.push(h('p', { 'class': 'correction', dir: 'auto' }, [h('strong', null, tr('In fact:') + ' '), q.correction]));
    }
    if (face(q) === 'events') out.push(h('p', { 'class': 'prompt-label' }, tr('The right order:')), rightOrder(q));
    if (q.when) out.push(h('p', { 'class': 'when-line' }, [h('strong', null, tr('When:') + ' '), h('bdi', null, q.when)]));
    if (q.explanation) out.push(h('p', { 'class': 'explanation', dir: 'auto' }, q.explanation));
    out.push(sourcesView(q));
    return out;
  }

  function staticChoices(q, revealed) {
    return h('ol', { 'class': 'choice-list' }, q.choices.map(function (c, i) {
      var right = revealed && i === q.right;
      return h('li', { 'class': right ? 'right' : null, dir: 'auto' }, [c, right ? h('span', { 'class': 'verdict' }, ' ✓ ' + tr('right answer')) : null]);
    }));
  }

  function typable(card) { return KIND_OF[card.q.kind].typed; }

  /** The box to type an answer into, with Check; `onCheck(typed)` is called with the text. */
  function typeBox(onCheck) {
    var input = h('input', { type: 'text', id: 'typed', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', enterkeyhint: 'done' });
    var form = h('form', { 'class': 'typed', id: 'typed-form' }, [
      h('label', { 'for': 'typed' }, tr('Type your answer (or just show it)')),
      h('span', { 'class': 'typed-row' }, [input, h('button', { type: 'submit', id: 'check-typed' }, tr('Check'))])
    ]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (input.value.trim()) onCheck(input.value);
    });
    return form;
  }

  /** The verdict on a typed answer, with an override when the check was too strict. */
  function typedVerdict(card, typed, ok, also, onOverride) {
    var right = also && also.length ? tr('Right (also accepted: %(others)s).', { others: also.join(' · ') }) : tr('Right.');
    var wrap = h('div', { 'class': ok ? 'feedback good' : 'feedback bad', id: 'feedback', role: 'status' }, [
      h('p', null, [h('strong', { dir: 'auto' }, ok ? '✓ ' + right : '✗ ' + tr('Not quite.')), ' ' + tr('You typed:') + ' ', h('bdi', null, typed)])
    ]);
    if (!ok) {
      wrap.appendChild(button(tr('I was right'), function () {
        wrap.className = 'feedback good';
        wrap.firstChild.firstChild.textContent = '✓ ' + tr('Counted as right.');
        this.remove();
        onOverride();
      }, { id: 'override', 'class': 'link' }));
    }
    return wrap;
  }

  /** Grade buttons: inert for a moment after the answer shows, so the tap (or double tap) that
      revealed it never grades. Focus then goes to `focusOn` (a rating). */
  function gradeButtons(list, focusOn) {
    var buttons = list.map(function (g) {
      return button([h('span', { 'class': 'g-label' }, g.label), g.hint ? h('span', { 'class': 'g-hint' }, g.hint) : null],
        g.act, { id: g.id, 'class': g.cls, disabled: true, 'aria-keyshortcuts': mirrored(g.keys) });
    });
    add(clear($('actions')), buttons);
    $('actions').classList.add(buttons.length > 2 ? 'four' : 'two');
    var token = renderToken;
    setTimeout(function () {
      if (token !== renderToken) return;
      buttons.forEach(function (b) { b.disabled = false; });
      var target = buttons[Math.min(focusOn, buttons.length - 1)];
      if (document.activeElement === document.body || !document.activeElement || document.activeElement.id === 'back') focus(target);
    }, GUARD_MS);
    return buttons;
  }

  function interval(rec, now) {
    var days = dayOf(rec.due) - dayOf(clock(now));
    if (days <= 0) {
      var mins = Math.max(1, Math.round((rec.due - clock(now)) / 60000));
      return mins < 60 ? tr('%(n)s min', { n: mins }) : tr('%(n)s h', { n: Math.round(mins / 60) });
    }
    return days < 31 ? trn(days, '%(num)d day', '%(num)d days') : (days < 365 ? tr('%(n)s mo', { n: Math.round(days / 30) }) : tr('%(n)s y', { n: (days / 365).toFixed(1) }));
  }

  /* flashcards by the schedule (studying today) and practice runs (which never touch it) */

  function renderFlashcard(card, revealed, opts) {
    var q = card.q;
    var box_ = $('card');
    add(box_, front(card, revealed, opts.practice));
    if (face(q) === 'choices') box_.appendChild(staticChoices(q, revealed));
    if (face(q) === 'events' && !revealed) {
      box_.appendChild(h('ol', { 'class': 'choice-list' }, q.start.map(function (i) {
        return h('li', { dir: 'auto' }, q.events[i].text);
      })));
    }
    var actions = $('actions');
    if (!revealed) {
      shownAt = Date.now();
      var reveal = function () { renderCard(true); };
      if (typable(card)) {
        box_.appendChild(typeBox(function (typed) {
          var v = judged(typed, card);
          renderCard(true, { typed: typed, ok: v.ok, also: v.others });
        }));
      }
      actions.appendChild(button(tr('Show answer'), reveal, { id: 'reveal', 'class': 'primary', 'aria-keyshortcuts': 'Space' }));
      keys.reveal = reveal;
      return;
    }
    var verdict = opts.typed !== undefined ? { ok: opts.ok } : null;
    var focusOn = verdict ? (verdict.ok ? 2 : 0) : 2;
    if (verdict) {
      box_.appendChild(typedVerdict(card, opts.typed, verdict.ok, opts.also, function () {
        verdict.ok = true;
        var good = $('good') || $('got');
        if (good) focus(good);
      }));
    }
    add(box_, h('div', { 'class': 'back', id: 'back', tabindex: '-1' }, back(card, face(q) === 'choices')));
    var list;
    if (opts.practice) {
      var r = opts.run;
      list = [
        { id: 'again', label: tr('Again'), cls: 'again', keys: '1 ArrowLeft', act: function () { gradeRun(r, card.id, false, true); render(); focusFirst(); } },
        { id: 'got', label: tr('Got it'), cls: 'got', keys: '2 ArrowRight', act: function () { gradeRun(r, card.id, true, false); render(); focusFirst(); } }
      ];
      focusOn = verdict && !verdict.ok ? 0 : 1;
    } else {
      var now = Date.now();
      var next = outcomes(card.id, now);
      var grades = state.prefs.buttons === 2 ? [GRADES[0], GRADES[2]] : GRADES;
      list = grades.map(function (g, i) {
        return { id: g.id, label: g.label, cls: g.cls, hint: interval(next[g.r], now), keys: String(i + 1),
                 act: function () { gradeCard(card.id, g.r, Date.now(), opts.typed); pinned = null; render(); focusFirst(); } };
      });
      if (state.prefs.buttons === 2) focusOn = focusOn ? 1 : 0;
    }
    focus($('back'));
    var buttons = gradeButtons(list, focusOn);
    keys.grade = buttons.map(function (b) { return function () { if (!b.disabled) b.click(); }; });
    if (buttons.length === 2) { keys.wrong = keys.grade[0]; keys.right = keys.grade[1]; }
  }

  /* quiz */

  function feedback(ok, text) {
    return h('p', { 'class': ok ? 'feedback good' : 'feedback bad', id: 'feedback', role: 'status', dir: 'auto' },
      [h('strong', null, ok ? '✓ ' + tr('Right.') : '✗ ' + tr('Not quite.')), text ? ' ' + text : null]);
  }

  function afterAnswer(r, card, ok, message, choicesShown) {
    gradeRun(r, card.id, ok, false); // counted now, so a reload shows the next card
    var box_ = $('card');
    if (message !== null) box_.appendChild(feedback(ok, message));
    add(box_, h('div', { 'class': 'back', id: 'back', tabindex: '-1' }, back(card, choicesShown)));
    var next = function () { render(); focusFirst(); };
    var actions = clear($('actions'));
    actions.appendChild(button(r.i >= r.queue.length ? tr('See the score') : tr('Next'), next,
      { id: 'next', 'class': 'primary', 'aria-keyshortcuts': mirrored('Enter ArrowRight Space') }));
    keys = { next: next };
    updateProgress(r);
    focus($('next'));
    var src = document.querySelector('#back .source');
    if (src && src.scrollIntoView) src.scrollIntoView({ block: 'nearest' });
  }

  function choiceQuiz(r, card, labels, rightIndex) {
    var list = h('div', { 'class': 'choices', role: 'group', 'aria-label': tr('Choices') });
    var buttons = labels.map(function (label, i) {
      return button([h('span', { 'class': 'num', 'aria-hidden': 'true' }, String(i + 1)), h('span', { dir: 'auto' }, label)], function () {
        buttons.forEach(function (b, j) {
          b.disabled = true;
          if (j === rightIndex) { b.classList.add('right'); b.appendChild(h('span', { 'class': 'verdict' }, ' ✓ ' + tr('right answer'))); }
        });
        if (i !== rightIndex) { buttons[i].classList.add('wrong'); buttons[i].appendChild(h('span', { 'class': 'verdict' }, ' ✗ ' + tr('your answer'))); }
        // answered: the right choice (and a wrong pick) stay, so the answer shows once and the
        // source comes up on a small screen
        buttons.forEach(function (b, j) { if (j !== rightIndex && j !== i) b.hidden = true; });
        afterAnswer(r, card, i === rightIndex, '', true);
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
            button('↑', function () { move(pos, -1); }, { 'class': 'up', 'aria-label': tr('Move up: %(event)s', { event: text }), disabled: result || pos === 0 }),
            button('↓', function () { move(pos, 1); }, { 'class': 'down', 'aria-label': tr('Move down: %(event)s', { event: text }), disabled: result || pos === order.length - 1 })
          ])
        ]);
        list.appendChild(li);
      });
    }
    function move(pos, step) {
      var other = pos + step;
      var t = order[pos]; order[pos] = order[other]; order[other] = t;
      draw(false);
      var moved = list.children[other].querySelector(step < 0 ? '.up' : '.down');
      if (moved && !moved.disabled) moved.focus(); else list.children[other].querySelector('button:not([disabled])').focus();
    }
    draw(false);
    $('card').appendChild(list);
    var check = function () {
      var placed = order.filter(function (ev, pos) { return ev === pos; }).length;
      draw(true);
      afterAnswer(r, card, placed === order.length, tr('%(right)s of %(all)s in the right place.', { right: placed, all: order.length }), false);
    };
    $('actions').appendChild(button(tr('Check the order'), check, { id: 'check', 'class': 'primary' }));
    keys.reveal = check;
  }

  function renderQuizCard(r, card, revealed, opts) {
    var q = card.q;
    add($('card'), front(card, revealed));
    if (face(q) === 'choices') {
      choiceQuiz(r, card, q.choices, q.right);
    } else if (face(q) === 'statement') {
      choiceQuiz(r, card, [tr('True'), tr('False')], q.answer ? 0 : 1);
    } else if (face(q) === 'events') {
      orderQuiz(r, card);
    } else if (!revealed) {
      $('card').appendChild(typeBox(function (typed) {
        var v = judged(typed, card);
        renderCard(true, { typed: typed, ok: v.ok, also: v.others });
      }));
      var reveal = function () { renderCard(true); };
      $('actions').appendChild(button(tr('Show answer'), reveal, { id: 'reveal', 'class': 'primary', 'aria-keyshortcuts': 'Space' }));
      keys.reveal = reveal;
    } else if (opts.typed !== undefined) {
      // a typed answer counts as checked; "I was right" turns a miss into a right answer
      $('card').appendChild(typedVerdict(card, opts.typed, opts.ok, opts.also, function () {
        r.right += 1;
        r.missed = r.missed.filter(function (id) { return id !== card.id; });
        save();
        updateProgress(r);
        focus($('next'));
      }));
      afterAnswer(r, card, opts.ok, null, false);
    } else {
      add($('card'), h('div', { 'class': 'back', id: 'back', tabindex: '-1' }, back(card, false)));
      focus($('back'));
      var buttons = gradeButtons([
        { id: 'again', label: tr('I was wrong'), cls: 'again', keys: '1 ArrowLeft', act: function () { gradeRun(r, card.id, false, false); render(); focusFirst(); } },
        { id: 'got', label: tr('I got it'), cls: 'got', keys: '2 ArrowRight', act: function () { gradeRun(r, card.id, true, false); render(); focusFirst(); } }
      ], 1);
      keys.wrong = function () { if (!buttons[0].disabled) buttons[0].click(); };
      keys.right = function () { if (!buttons[1].disabled) buttons[1].click(); };
    }
  }

  /* ---------- the study view: Today, studying, practice, quiz ---------- */

  var view = state.prefs.view; // cards, quiz, timeline or article
  var studying = false; // on the cards view: a card on screen (not the Today screen)
  var renderToken = 0;

  function view_() { return view; }

  function setView(v) {
    view = v;
    if (v === 'cards' || v === 'quiz') { state.prefs.view = v; save(); }
  }

  /** The run on screen, if any: a quiz, or practice on the cards view. */
  function runMode() {
    if (view === 'quiz') return 'quiz';
    if (view === 'cards' && studying === 'practice') return 'practice';
    return null;
  }

  function updateProgress(r) {
    var bar = $('progress');
    bar.hidden = !r;
    if (!r) return;
    bar.setAttribute('aria-valuemax', String(r.total));
    bar.setAttribute('aria-valuenow', String(r.done));
    bar.setAttribute('aria-valuetext', tr('%(done)s of %(all)s cards done', { done: r.done, all: r.total }));
    $('progress-fill').style.width = (r.total ? Math.round(100 * r.done / r.total) : 0) + '%';
    var left = r.queue.length - r.i;
    $('count').textContent = tr('%(done)s of %(all)s done', { done: r.done, all: r.total }) + (left ? ' · ' + tr('%(left)s to go', { left: left }) : '');
  }

  function renderUndo() {
    var b = $('undo');
    b.hidden = !undoStack.length || view !== 'cards';
  }

  function renderToday() {
    var t = today(Date.now());
    $('due-count').textContent = String(t.due);
    $('new-count').textContent = String(t.news);
    $('tomorrow-count').textContent = String(t.tomorrow);
    var el = clear($('today-actions'));
    if (t.left) {
      el.appendChild(button(tr('Study now (%(cards)s)', { cards: cards(t.left) }), function () { studying = 'today'; render(); focusFirst(); },
        { id: 'start', 'class': 'primary' }));
    } else {
      var none = !CARDS.filter(matches).length;
      el.appendChild(h('p', { id: 'done-note', 'class': 'done-note' }, none ? tr('No card matches these filters.') :
        tr('Done for today.') + ' ' + (t.tomorrow ? tr('%(cards)s due tomorrow.', { cards: cards(t.tomorrow) }) : tr('Nothing is due tomorrow.'))));
      if (none) {
        el.appendChild(button(tr('Clear filters'), function () { $('clear-filters').click(); }, { 'class': 'primary' }));
      }
    }
    if (!CARDS.filter(matches).length) return;
    var r = state.runs.practice;
    var going = r && r.i > 0 && r.i < r.queue.length;
    el.appendChild(button(going ? tr('Go on practising') : tr('Practise all cards'), function () {
      if (!going) state.runs.practice = newRun('practice');
      studying = 'practice'; save(); render(); focusFirst();
    }, { id: 'practice', 'class': t.left ? null : 'primary' }));
    el.appendChild(h('p', { 'class': 'note' }, tr('Practice, like the quiz, never changes when cards are due.')));
  }

  function renderEnd(r) {
    var mode = r.mode;
    var missed = r.missed.slice();
    add($('card'), [
      h('h2', { id: 'score-title', tabindex: '-1' }, mode === 'quiz' ? tr('Quiz finished') : tr('Practice finished')),
      h('p', { 'class': 'score', id: 'score', dir: 'auto' }, mode === 'practice'
        ? tr('Got it first time: %(right)s of %(all)s.', { right: r.right, all: r.total })
        : tr('Score: %(right)s of %(all)s right.', { right: r.right, all: r.total }))
    ]);
    var actions = $('actions');
    if (missed.length) {
      actions.appendChild(button(tr('Again with the %(n)s missed', { n: missed.length }), function () {
        state.runs[mode] = newRun(mode, missed); save(); render(); focusFirst();
      }, { id: 'again-missed' }));
    }
    var next = function () { state.runs[mode] = newRun(mode); save(); render(); focusFirst(); };
    actions.appendChild(button(mode === 'quiz' ? tr('New quiz') : tr('New run'), next, { id: 'new-run', 'class': 'primary' }));
    if (mode === 'practice') {
      actions.appendChild(button(tr('Today'), function () { studying = false; delete state.runs.practice; save(); render(); focusFirst(); }, { id: 'to-today' }));
    }
    keys.next = next;
    focus($('score-title'));
  }

  /** The card screen of the current view; `revealed` shows its answer. */
  function renderCard(revealed, opts) {
    opts = opts || {};
    renderToken++;
    keys = {};
    clear($('card')).removeAttribute('data-card');
    var actions = clear($('actions'));
    actions.className = 'actions';
    var quiz = view === 'quiz';
    var onToday = !quiz && !studying;
    document.body.classList.toggle('studying', !onToday);
    $('today').hidden = !onToday;
    $('study-main').hidden = onToday;
    $('session').hidden = onToday;
    $('stop').hidden = quiz; // the way back to Today from studying or practice
    $('study-title').textContent = quiz ? tr('Quiz') : (studying === 'practice' ? tr('Practice') : tr('Today'));
    renderUndo();
    if (onToday) { $('progress').hidden = true; renderToday(); return; }
    var card;
    if (quiz || studying === 'practice') {
      var r = runOf(quiz ? 'quiz' : 'practice');
      updateProgress(r);
      if (!r.queue.length) {
        add($('card'), [h('p', null, tr('No card matches these filters.')),
          button(tr('Clear filters'), function () { $('clear-filters').click(); }, { 'class': 'primary' })]);
        return;
      }
      if (r.i >= r.queue.length) { renderEnd(r); return; }
      card = BY_ID[r.queue[r.i]];
      $('card').setAttribute('data-card', card.id);
      if (quiz) renderQuizCard(r, card, revealed, opts);
      else renderFlashcard(card, revealed, { practice: true, run: r, typed: opts.typed, ok: opts.ok, also: opts.also });
      return;
    }
    var t = today(Date.now());
    updateProgress(null);
    $('count').textContent = t.left ? tr('Today: %(due)s due · %(new)s new', { due: t.due, 'new': t.news }) : '';
    if (!t.next) { studying = false; renderCard(false); focus($('today-title')); return; }
    card = revealed && current ? current : (pinned && BY_ID[pinned] ? BY_ID[pinned] : t.next);
    current = card;
    $('card').setAttribute('data-card', card.id);
    renderFlashcard(card, revealed, { typed: opts.typed, ok: opts.ok, also: opts.also });
  }

  var current = null; // the card being studied today (kept while its answer shows)
  var pinned = null; // an undone card: shown next, whatever the schedule would show first

  /** After a screen changes, the keyboard goes to its first meaningful control. */
  function focusFirst() {
    var target = $('reveal') || $('check') || document.querySelector('#card .choice:not([disabled])') || $('next') ||
      $('start') || $('new-run') || $('today-title');
    focus(target);
  }

  function show(v, src) {
    setView(v);
    render(src);
  }

  /** Show the current view; `keep` shows the study view as it was left (a revealed answer stays). */
  function render(src, keep) {
    var study = view === 'cards' || view === 'quiz';
    Array.prototype.forEach.call(document.querySelectorAll('[data-view]'), function (b) {
      var on = b.getAttribute('data-view') === view;
      if (on) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    });
    $('study').hidden = !study;
    park($('timeline'), view !== 'timeline');
    $('article').hidden = view !== 'article';
    if (!study) document.body.classList.remove('studying');
    if (study) {
      $('shuffle').setAttribute('aria-pressed', String(state.prefs.shuffle));
      if (!keep) {
        $('run-note').hidden = true;
        renderCard(false);
      }
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
    var onControl = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
    var k = mirrored(e.key);
    var act = null;
    if (k === ' ' || k === 'Spacebar') act = onControl ? null : (keys.reveal || keys.next);
    else if (k === 'Enter') act = onControl ? null : keys.next;
    else if (k === 'u' || k === 'z') act = !$('undo').hidden ? doUndo : null;
    else if (k === 'ArrowLeft') act = keys.wrong || (keys.grade && keys.grade[0]);
    else if (k === 'ArrowRight') act = keys.right || (keys.grade && keys.grade[keys.grade.length === 4 ? 2 : 1]) || keys.next;
    else if (/^[1-9]$/.test(k)) {
      var i = Number(k) - 1;
      act = (keys.grade && keys.grade[i]) || (keys.pick && keys.pick[i]) || (i === 0 && keys.wrong) || (i === 1 && keys.right);
    } else if (k === 'ArrowDown' || k === 'ArrowUp') act = moveFocus(k === 'ArrowDown' ? 1 : -1);
    if (act) { e.preventDefault(); act(); }
  }

  function moveFocus(step) {
    var scope = view === 'timeline' ? $('timeline') : (view === 'article' ? null : $('study'));
    if (!scope) return null;
    var list = Array.prototype.filter.call(scope.querySelectorAll('#study-main button, #today-actions button, #timeline button'), function (b) {
      return !b.disabled && b.offsetParent !== null;
    });
    if (!list.length) return null;
    return function () {
      var at = list.indexOf(document.activeElement);
      var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + step));
      list[next].focus();
    };
  }

  function doUndo() {
    var id = undo();
    if (!id) return;
    if (view === 'cards') {
      studying = 'today';
      pinned = id;
      render();
    }
    renderUndo();
    focusFirst();
  }

  /* ---------- start ---------- */

  function start() {
    renderArticleHead();
    renderFilters();
    renderSettings();
    renderTimeline();
    Array.prototype.forEach.call(document.querySelectorAll('[data-view]'), function (b) {
      b.addEventListener('click', function () {
        returnTo = null;
        if (b.getAttribute('data-view') === 'cards' && view === 'cards') studying = false; // the tab goes back to Today
        show(b.getAttribute('data-view'));
      });
    });
    var skipPop = false; // the history entry of the article, taken back by its own Back button
    $('article-back').addEventListener('click', function () {
      var pushed = returnTo && returnTo.pushed;
      goBack();
      if (pushed) { skipPop = true; history.back(); }
    });
    // the phone's back gesture (or the browser's Back) from the article returns to the card
    window.addEventListener('popstate', function () {
      if (skipPop) { skipPop = false; return; }
      if (view === 'article' && returnTo) goBack();
    });
    $('shuffle').addEventListener('click', function () {
      state.prefs.shuffle = !state.prefs.shuffle;
      $('shuffle').setAttribute('aria-pressed', String(state.prefs.shuffle));
      filtersChanged();
    });
    $('undo').addEventListener('click', doUndo);
    $('stats').addEventListener('toggle', function () { if ($('stats').open) renderStats(); });
    $('stop').addEventListener('click', function () { studying = false; render(); focus($('today-title')); });
    $('reset').addEventListener('click', function () {
      $('reset-done').hidden = true;
      $('reset-confirm').hidden = false;
      focus($('reset-no')); // Enter twice keeps the progress
    });
    $('reset-no').addEventListener('click', function () { $('reset-confirm').hidden = true; focus($('reset')); });
    $('reset-yes').addEventListener('click', function () {
      resetProgress(null);
      $('reset-confirm').hidden = true;
      $('reset-done').hidden = false;
      studying = false;
      render();
      focus($('reset-undo'));
    });
    $('reset-undo').addEventListener('click', function () {
      var key = undoStack[undoStack.length - 1];
      if (key && state.log.some(function (e) { return e.k === 'reset' && eventKey(e) === key; })) undo();
      $('reset-done').hidden = true;
      render();
      focus($('reset'));
    });
    // another tab saved: take in its grades (newest per card wins) and show the new counts
    window.addEventListener('storage', function (e) {
      if (e.key !== KEY || !e.newValue) return;
      try { if (!absorb(JSON.parse(e.newValue))) return; } catch (err) { return; }
      if ((view === 'cards' && !studying) || (view === 'cards' && studying === 'today' && !$('back'))) render();
    });
    // back to a page left open overnight: the Today screen counts the new day
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && view === 'cards' && !studying) render();
    });
    document.addEventListener('keydown', onKey);
    var pair = /[#&]sync=([a-z0-9]{20,64})/.exec(location.hash);
    if (pair && /^https?:$/.test(location.protocol)) {
      try { history.replaceState(null, '', location.href.split('#')[0]); } catch (e) { /* kept in the address */ }
      if (pair[1] !== state.sync.learner) startSync(pair[1]);
    } else if (state.sync.learner) {
      syncNow();
    }
    window.addEventListener('online', function () { syncNow(); });
    persist();
    render();
    // lay the parked timeline out while the learner reads the first screen (asking where a part of it
    // is makes the browser lay it out, and it keeps that layout), so that its tab shows at once
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
    idle(function () { if (view !== 'timeline') $('timeline-body').getBoundingClientRect(); }, { timeout: 2000 });
  }

  start();
})();
