"""Function words per language, and a stemmer per language: the words giveaways compare by meaning.

The stop words are short hand-made lists of each catalogued language's function words (articles,
pronouns, prepositions, conjunctions, auxiliaries, the commonest adverbs), in case-folded form; a
word in the list never counts as a shared content word. Stems come from Snowball
(`snowballstemmer`: English, French, Spanish, German, Russian, Arabic and the other Snowball
languages), which stems in C through PyStemmer when it is installed (a dependency: the same
algorithms, the same stems) and in pure Python otherwise. Snowball has no Hebrew: Hebrew words get a light rule instead, documented at
`hebrew_stem` (the one-letter prefixes ו ה ב כ ל מ ש, up to two, and the common plural and
possessive endings, stripped while three letters stay). A language that neither knows is compared
by whole words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

_EN = ["a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "by", "for", "from", "with", "without", "into", "onto", "over", "under", "about", "as", "than", "then", "that", "this", "these", "those", "it", "its", "it's", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "no", "yes", "so", "such", "only", "just", "very", "also", "too", "all", "any", "some", "each", "every", "one", "two", "both", "either", "neither", "he", "she", "they", "we", "you", "i", "him", "her", "them", "us", "his", "hers", "their", "our", "your", "my", "me", "who", "whom", "whose", "which", "what", "when", "where", "why", "how", "there", "here", "s", "t", "would", "could", "should", "will", "shall", "may", "might", "must", "can", "cannot", "according", "article", "author", "said", "says", "say", "if", "while", "after", "before", "during", "up", "out", "off", "again", "more", "most", "other", "same", "own", "until", "because", "against", "between", "through", "per", "via", "among", "within", "toward", "towards", "upon", "since", "much", "many", "still", "even", "isn't", "doesn't", "don't", "didn't", "wasn't", "weren't", "hasn't", "haven't"]
_FR = ["le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "ou", "mais", "ni", "donc", "or", "car", "à", "au", "aux", "en", "dans", "sur", "sous", "par", "pour", "avec", "sans", "ce", "cet", "cette", "ces", "c", "ça", "il", "elle", "ils", "elles", "on", "nous", "vous", "je", "tu", "me", "te", "se", "lui", "leur", "leurs", "son", "sa", "ses", "mon", "ma", "mes", "ton", "ta", "tes", "notre", "nos", "votre", "vos", "qui", "que", "qu", "quoi", "dont", "où", "quand", "comme", "si", "ne", "pas", "plus", "est", "sont", "était", "été", "être", "a", "ont", "avait", "avoir", "fait", "y", "n", "s", "j", "t", "m", "tout", "tous", "toute", "toutes", "très", "aussi", "selon", "article", "auteur", "entre"]
_ES = ["el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "de", "del", "y", "e", "o", "u", "pero", "ni", "a", "al", "en", "con", "sin", "por", "para", "sobre", "bajo", "entre", "que", "quien", "quienes", "cual", "cuales", "cuyo", "donde", "cuando", "como", "si", "no", "es", "son", "era", "fue", "ser", "estar", "está", "están", "ha", "han", "había", "haber", "se", "su", "sus", "mi", "mis", "tu", "tus", "nuestro", "nuestra", "él", "ella", "ellos", "ellas", "nosotros", "usted", "le", "les", "me", "te", "nos", "muy", "también", "todo", "todos", "toda", "todas", "según", "artículo", "autor", "este", "esta", "estos", "estas", "ese", "esa", "esos", "esas"]
_DE = ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder", "aber", "nicht", "kein", "keine", "in", "im", "an", "am", "auf", "aus", "bei", "mit", "nach", "von", "vom", "zu", "zum", "zur", "für", "über", "unter", "vor", "durch", "gegen", "ohne", "um", "als", "wie", "wenn", "dass", "ob", "es", "er", "sie", "wir", "ihr", "ich", "du", "man", "sich", "sein", "seine", "ihre", "ihr", "ist", "sind", "war", "waren", "wird", "werden", "wurde", "wurden", "hat", "haben", "hatte", "hatten", "sehr", "auch", "nur", "noch", "schon", "so", "laut", "artikel", "autor", "dieser", "diese", "dieses"]
_RU = ["и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его", "но", "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "её", "мне", "было", "вот", "от", "меня", "еще", "ещё", "нет", "о", "из", "ему", "теперь", "когда", "даже", "ну", "ли", "если", "уже", "или", "ни", "быть", "был", "него", "до", "вас", "нибудь", "опять", "уж", "вам", "ведь", "там", "потом", "себя", "ничего", "ей", "может", "они", "тут", "где", "есть", "надо", "ней", "для", "мы", "тебя", "их", "чем", "была", "сам", "чтоб", "без", "будто", "чего", "раз", "тоже", "себе", "под", "будет", "ж", "тогда", "кто", "этот", "того", "потому", "этого", "какой", "совсем", "ним", "здесь", "этом", "один", "почти", "мой", "тем", "чтобы", "нее", "сейчас", "были", "куда", "зачем", "всех", "никогда", "можно", "при", "наконец", "два", "об", "другой", "хоть", "после", "над", "больше", "тот", "через", "эти", "нас", "про", "всего", "них", "какая", "много", "разве", "три", "эту", "моя", "впрочем", "хорошо", "свою", "этой", "перед", "иногда", "лучше", "чуть", "том", "нельзя", "такой", "им", "более", "всегда", "конечно", "всю", "между", "каждый", "это", "статья", "автор"]
_HE = ["של", "את", "על", "עם", "אל", "מן", "כי", "אם", "או", "גם", "לא", "כן", "זה", "זאת", "זו", "אלה", "הוא", "היא", "הם", "הן", "אני", "אתה", "את", "אנחנו", "אתם", "הזה", "הזאת", "היה", "היתה", "הייתה", "היו", "יהיה", "אשר", "כל", "כמו", "אבל", "רק", "עוד", "מאוד", "יותר", "בין", "אחרי", "לפני", "תחת", "מול", "עד", "כדי", "לפי", "ידי", "אך"]
_AR = ["في", "من", "إلى", "الى", "على", "عن", "مع", "و", "أو", "او", "ثم", "لكن", "بل", "لا", "لم", "لن", "ما", "هذا", "هذه", "ذلك", "تلك", "هو", "هي", "هم", "هن", "أنا", "نحن", "أنت", "التي", "الذي", "الذين", "اللواتي", "كان", "كانت", "يكون", "كل", "أن", "إن", "ان", "قد", "لقد", "حتى", "عند", "بين", "بعد", "قبل", "أي", "اي", "كما", "له", "لها", "لهم", "به", "بها", "فيه", "فيها", "منه", "منها", "عليه", "عليها", "وفي", "ومن", "وعلى", "وأن"]

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN), "fr": frozenset(_FR), "es": frozenset(_ES), "de": frozenset(_DE),
    "ru": frozenset(_RU), "he": frozenset(_HE), "ar": frozenset(_AR),
}
_SNOWBALL = {
    "en": "english", "fr": "french", "es": "spanish", "de": "german", "ru": "russian", "ar": "arabic",
    "it": "italian", "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
    "nb": "norwegian", "fi": "finnish", "hu": "hungarian", "ro": "romanian", "tr": "turkish", "el": "greek",
    "ca": "catalan", "eu": "basque", "cs": "czech", "pl": "polish", "lt": "lithuanian", "id": "indonesian",
    "ga": "irish", "hy": "armenian", "sr": "serbian", "ta": "tamil", "hi": "hindi", "ne": "nepali",
    "fa": "persian", "yi": "yiddish", "et": "estonian", "eo": "esperanto",
}
_HE_PREFIXES = "והבכלמש"
_HE_SUFFIXES = ("ים", "ות", "יה", "יו", "ה", "י", "ך", "ם", "ן", "ת")
_FINALS = str.maketrans("ךםןףץ", "כמנפצ")


def _language(tag: str) -> str:
    """The language of a tag, `he-IL` → `he` (as i18n.base, which `check` does not import)."""
    return tag.replace("_", "-").split("-")[0].lower()


def stop_words(language: str) -> frozenset[str]:
    """The function words of `language` (a tag: `he-IL` is `he`); English's when none is listed."""
    return STOP_WORDS.get(_language(language), STOP_WORDS["en"])


def hebrew_stem(word: str) -> str:
    """A light Hebrew stem (Snowball has no Hebrew): up to two one-letter prefixes (ו ה ב כ ל מ ש) and
    one common ending (plural ים/ות, possessive and feminine ה/י/ך/ם/ן/ת) stripped while three letters
    stay, final letter forms made ordinary. It joins "והזכויות" and "זכויות", not every inflection."""
    for _ in range(2):
        if len(word) > 3 and word[0] in _HE_PREFIXES:
            word = word[1:]
    for suffix in _HE_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.translate(_FINALS)


@lru_cache(maxsize=64)
def stemmer(language: str) -> Callable[[str], str]:
    """A function from a case-folded word to its stem in `language` (a tag; cached per word)."""
    language = _language(language)
    if language == "he":
        return lru_cache(maxsize=65536)(hebrew_stem)
    name = _SNOWBALL.get(language)
    if name is None:
        return str
    # only for a language Snowball stems (not Hebrew); with PyStemmer this imports it alone, without it the
    # 36 pure-Python stemmers (about 30 ms)
    import snowballstemmer

    return lru_cache(maxsize=65536)(snowballstemmer.stemmer(name).stemWord)
