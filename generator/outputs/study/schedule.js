/* quizgen study page: the schedule (the global QuizgenSchedule), ts-fsrs (the global FSRS) with
   Anki's rules where they differ, so that tests/test_study_fsrs.py checks this very code against
   the reference `fsrs` package:
   - learning steps 1 and 10 minutes, relearning 10 minutes; Hard on the first step waits the mean
     of the first two, Hard on a later step repeats that step (ts-fsrs would wait the mean again);
   - at graduation Easy waits at least a day more than Good;
   - the desired retention (0.70 to 0.99, default 0.90) and interval fuzz are settings.
   A record keeps the card's FSRS state with its times on the study clock (study.js, clock()). */
(function () {
  'use strict';
  var F = window.FSRS;
  var DAY = 86400000;
  var STEPS = ['1m', '10m'];
  var RELEARN = ['10m'];

  function minutes(step) { return Number(step.slice(0, -1)) * ({ m: 1, h: 60, d: 1440 }[step.slice(-1)]); }

  /** ts-fsrs's learning-steps strategy with Anki's Hard: the mean of two steps on the first, the
      step itself on a later one. */
  function ankiSteps(params, state, current) {
    var steps = state === F.State.Relearning || state === F.State.Review ? params.relearning_steps : params.learning_steps;
    var n = steps.length;
    var out = {};
    if (!n || current >= n) return out;
    var first = minutes(steps[0]);
    if (state === F.State.Review) {
      out[F.Rating.Again] = { scheduled_minutes: minutes(steps[Math.max(0, current)]), next_step: 0 };
      return out;
    }
    var hard = current > 0 ? minutes(steps[current]) : (n === 1 ? Math.round(first * 1.5) : Math.round((first + minutes(steps[1])) / 2));
    out[F.Rating.Again] = { scheduled_minutes: first, next_step: 0 };
    out[F.Rating.Hard] = { scheduled_minutes: hard, next_step: current };
    if (current + 1 < n) out[F.Rating.Good] = { scheduled_minutes: minutes(steps[current + 1]), next_step: current + 1 };
    return out;
  }

  function toCard(r) {
    return {
      due: new Date(r.due), stability: r.s, difficulty: r.d, elapsed_days: r.ed, scheduled_days: r.sd,
      learning_steps: r.ls, reps: r.r, lapses: r.l, state: r.st, last_review: new Date(r.lr)
    };
  }

  function fromCard(c, first) {
    return {
      st: c.state, due: c.due.getTime(), s: c.stability, d: c.difficulty, ls: c.learning_steps,
      r: c.reps, l: c.lapses, sd: c.scheduled_days, ed: c.elapsed_days, lr: c.last_review.getTime(), f: first
    };
  }

  /** A scheduler: `step(record or null, rating, c, first)` is the record after that grade at
      study-clock time `c` (never before the card's last review). */
  function make(opts) {
    opts = opts || {};
    var sched = F.fsrs(F.generatorParameters({
      enable_fuzz: !!opts.fuzz, enable_short_term: true, learning_steps: STEPS, relearning_steps: RELEARN,
      request_retention: opts.retention || 0.9
    }));
    sched.useStrategy(F.StrategyMode.LEARNING_STEPS, ankiSteps);
    function step(rec, rating, c, first) {
      if (rec && c < rec.lr) c = rec.lr;
      var card = rec ? toCard(rec) : F.createEmptyCard(new Date(c));
      var when = new Date(c);
      var next = sched.next(card, when, rating).card;
      if (rating === 4 && card.state !== F.State.Review) {
        var good = sched.next(card, when, 3).card;
        // graduating: Easy at least a day after Good (Anki)
        if (good.state === F.State.Review && next.scheduled_days < good.scheduled_days + 1) {
          next.scheduled_days = good.scheduled_days + 1;
          next.due = new Date(c + next.scheduled_days * DAY);
        }
      }
      return fromCard(next, rec ? rec.f : first);
    }
    return { step: step, toCard: toCard };
  }

  window.QuizgenSchedule = { make: make, steps: STEPS, relearningSteps: RELEARN };
})();
