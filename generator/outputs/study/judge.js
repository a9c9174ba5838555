/* quizgen study page: a typed answer judged as a teacher would (the global QuizgenJudge).
   judge(typed, expected, accept, language) -> { ok, close, matched } where `matched` is the
   answer (the expected one or an `accept:` alternative) the typed text was found to say.

   What is forgiven, in this order, against the expected answer and each alternative:
   - case, accents, punctuation, spacing; "&" and "and"; Saint/St, Mount/Mt;
   - leading prepositions and articles of the article's language ("In Moscow" -> "Moscow");
   - numbers written with separators or as ordinals ("1,000", "5th"), a date's parts in any order
     ("March 5, 2008" = "5 March 2008");
   - a small typo (one in 5-8 letters, two beyond, none in 4 or fewer, none in a number);
   - an English word's -ing, -ed, -es, -s; the small words inside ("Syrian side of Golan");
   - the key part: the typed words are a run of the expected ones holding at least 60 % of its
     content words (a place's common noun, "port", "city", is not one) ("firing a cruise missile" for "Firing a cruise missile at Syria"), or
     the expected words are a run of the typed ones with at most as many content words again
     and no "and"/"or"/"not" added ("Moscow, Russia" for "Moscow"). */
(function () {
  'use strict';

  var LEADING = {
    en: 'in on at by for from to of the a an about around during since with into inside near',
    fr: 'en a au aux dans le la les l un une des du de d sur par pour depuis vers chez pres',
    de: 'in im am an auf der die das den dem des ein eine einen einem einer zu zum zur vom von mit seit nach bei',
    es: 'en el la los las un una unos unas a al de del por para desde con hacia cerca',
    ru: 'в во на с со к ко по из от до у о об при за',
    he: '',
    ar: 'في فى الى إلى من على عند'
  };
  var STOP = {
    en: 'the a an of in on at to for by with and or from as its his her their it is was that this into over after before there be were are s ' +
        'port city town village province region district airport harbour harbor', // a place's common noun is not its key part
    fr: 'le la les l un une des du de d et ou en a au aux dans sur par pour que qui est',
    de: 'der die das den dem des ein eine einen einem einer und oder in im am an auf zu zum zur von vom mit ist',
    es: 'el la los las un una unos unas de del y o en a al por para con que es',
    ru: 'и или в во на с со к по из от до у о об что это',
    he: 'של את על עם או גם',
    ar: 'و أو في من على إلى عن مع'
  };
  var JOINERS = ['and', 'or', 'not', 'no', 'nor', 'et', 'ou', 'ne', 'und', 'oder', 'nicht', 'y', 'o', 'ni', 'и', 'или', 'не'];
  var SAME = { saint: 'st', sainte: 'ste', mount: 'mt', '&': 'and' };
  var MONTHS = {
    january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
    july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10,
    november: 11, nov: 11, december: 12, dec: 12
  };
  var HE_PREFIX = /^[בלהומש](?=[\u05d0-\u05ea]{2})/;
  var AR_PREFIX = /^(ال|وال|بال|لل|و|ب)(?=[\u0621-\u064a]{2})/;

  function words(list) { var o = {}; list.split(' ').forEach(function (w) { if (w) o[w] = true; }); return o; }
  function table(src, lang) { return words(src[lang] !== undefined ? src[lang] : src.en); }

  /** The words of a text: lower case, no accents or punctuation, numbers without separators. */
  function tokens(text) {
    var t = String(text).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/(\d)[,\u00a0\u202f' ](?=\d{3}\b)/g, '$1') // 1,000 and 1 000 are 1000
      .replace(/\b(\d+)(st|nd|rd|th|er|e|eme|º|ª)\b/g, '$1') // ordinals
      .replace(/&/g, ' and ')
      .replace(/[^\p{L}\p{N}\s.]+/gu, ' ')
      .replace(/(\d)\.(?=\d)/g, '$1\u0000') // a decimal point stays
      .replace(/\./g, ' ').replace(/\u0000/g, '.');
    return t.split(/\s+/).filter(function (w) { return w; }).map(function (w) { return SAME[w] || w; });
  }

  function stripPrefix(w, lang) {
    if (lang === 'he') return w.replace(HE_PREFIX, '');
    if (lang === 'ar') return w.replace(AR_PREFIX, '');
    return w;
  }

  /** An English word without its -ing, -ed, -es or -s ("firing" and "fired" are one word). */
  function stem(w) {
    if (w.length <= 4 || /\d/.test(w)) return w;
    return w.replace(/(ing|ed|es|s)$/, '');
  }

  /** The words without leading prepositions and articles (never all of them). */
  function core(list, lang) {
    var lead = table(LEADING, lang);
    var i = 0;
    while (i < list.length - 1 && lead[list[i]]) i++;
    var out = list.slice(i);
    if (lang === 'he' || lang === 'ar') out = out.map(function (w) { return stripPrefix(w, lang); });
    if (lang === 'en') out = out.map(stem);
    return out;
  }

  function distance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  /** Equal but for a small typo; numbers must be exact. */
  function near(a, b) {
    if (a === b) return true;
    if (/\d/.test(a) || /\d/.test(b)) return false;
    var allowed = b.length <= 4 ? 0 : (b.length <= 8 ? 1 : 2);
    return distance(a, b) <= allowed;
  }

  /** A date's parts, sorted, when every word is a day, a month or a year ("5 march 2008"). */
  function dateKey(list) {
    if (!list.length || list.length > 3) return null;
    var parts = [];
    for (var i = 0; i < list.length; i++) {
      var w = list[i];
      if (MONTHS.hasOwnProperty(w)) parts.push('m' + MONTHS[w]);
      else if (/^\d{1,4}$/.test(w)) parts.push(w.length === 4 ? 'y' + w : 'd' + Number(w));
      else return null;
    }
    if (!parts.some(function (p) { return p.charAt(0) === 'm'; }) || list.length < 2) return null;
    return parts.sort().join(' ');
  }

  function content(list, lang) {
    var stop = table(STOP, lang);
    return list.filter(function (w) { return !stop[w]; });
  }

  /** Where the run `part` starts in `whole` (words equal but for a typo), or -1. */
  function runAt(part, whole) {
    for (var i = 0; i + part.length <= whole.length; i++) {
      var all = true;
      for (var j = 0; j < part.length && all; j++) all = near(part[j], whole[i + j]);
      if (all) return i;
    }
    return -1;
  }

  function keyPart(typed, want, lang) {
    var tc = content(typed, lang), wc = content(want, lang);
    if (!tc.length || !wc.length) return false;
    if (typed.length < want.length && runAt(typed, want) >= 0) return tc.length >= wc.length * 0.6;
    if (typed.length > want.length && runAt(want, typed) >= 0) {
      var extra = typed.filter(function (w) { return want.indexOf(w) < 0; });
      var joined = extra.some(function (w) { return JOINERS.indexOf(w) >= 0; });
      return !joined && content(extra, lang).length <= wc.length;
    }
    return false;
  }

  /** How the typed words say one answer: 'same', 'close' (a typo), 'part' (the key part), or null. */
  function says(typed, answer, lang) {
    var a = core(tokens(typed), lang), b = core(tokens(answer), lang);
    if (!a.length || !b.length) return null;
    var x = a.join(' '), y = b.join(' ');
    if (x === y) return 'same';
    var dx = dateKey(a), dy = dateKey(b);
    if (dx && dx === dy) return 'same';
    if (near(x, y) || (a.length === b.length && a.every(function (w, i) { return near(w, b[i]); }))) return 'close';
    if (x.replace(/ /g, '') === y.replace(/ /g, '')) return 'close'; // "Tel Aviv" and "Telaviv", "S-300" and "S300"
    var ca = content(a, lang), cb = content(b, lang); // "Syrian side of Golan" for "the Syrian side of the Golan"
    if (ca.length && ca.length === cb.length && ca.every(function (w, i) { return near(w, cb[i]); })) return 'close';
    return keyPart(a, b, lang) ? 'part' : null;
  }

  function judge(typed, expected, accept, lang) {
    var answers = [expected].concat(accept || []);
    var best = null;
    var rank = { same: 3, close: 2, part: 1 };
    answers.forEach(function (answer) {
      var how = says(typed, answer, lang || 'en');
      if (how && (!best || rank[how] > rank[best.how])) best = { how: how, matched: answer };
    });
    return best ? { ok: true, how: best.how, matched: best.matched } : { ok: false, how: null, matched: null };
  }

  window.QuizgenJudge = { judge: judge, tokens: tokens };
})();
