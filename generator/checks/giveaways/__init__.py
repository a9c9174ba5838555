"""Giveaways: one question's answer told by another's printed text, and groups of one fact.

A printed quiz must not answer itself. Every question has *answers* (a right choice, a cloze blank,
a short answer, an attribution's source and the article's words that attribute its claim, a true
statement's fact, a false statement's correction, a chronology's dated events and their dates) and
*printed text* (what a student sees: stem, statement, claim, events, the text around blanks, hints;
choices apart, as they assert nothing). When enough of an answer is printed by another question,
that question *gives it away*. Questions that declare the same `group` test one fact. Both make
pairs that must not share a quiz; `keep_apart` picks the largest set of questions without such a
pair; `allow: [giveaway]` on either question says a pair is none.

Matching is by meaning, roughly: texts become content words (the article language's function words
dropped, `stopwords.py`) stemmed in that language, compared as sets, in any order. An answer is
looked for by its *telling* stems: not printed by its own question, not shared with its wrong
choices, and not printed all over the article (more than a fifth of the questions, or more than
COMMON_MAX: the subject). How many must be printed (`_need`) depends on how many there are and on
whether the two questions cite one sentence of the article (co-citation, a strong sign of one
fact). Acronyms the article defines ("GRU (Russian military intelligence)") stand for their
expansion. Numbers of an answer must all be printed. Every question's stems are indexed, and an
answer is compared only with the questions its stems lead to: linear in the questions.

Modules: `text` (words, stems, acronyms, sentences), `index` (what each question asks for and
prints, from its kind), `find` (the pairs), `apart` (conflicts and the largest set without one).
"""

from __future__ import annotations

# The names the checks and the quiz selection use; the rest is imported from its module.
from generator.checks.giveaways.apart import conflicts, keep_apart
from generator.checks.giveaways.find import GIVEAWAY, PerArticle, giveaways, per_article, warnings
from generator.checks.giveaways.text import EDGE_WORDS, STOP_WORDS, key_words, words

__all__ = [
    "EDGE_WORDS", "GIVEAWAY", "STOP_WORDS", "PerArticle", "conflicts", "giveaways", "keep_apart", "key_words",
    "per_article", "warnings", "words",
]
