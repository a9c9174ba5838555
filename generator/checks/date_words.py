"""What a `when` must look like: a date or a time, in the article's language.

A `when` with a digit (of any script: 1948, ١٩٤٨) passes. One without a digit must hold a word of
its language's short list below: a month, a weekday, or a word of relative time ("yesterday",
"last week", "in the spring", "after", "during"), so that `when: the` or `when: he` is caught while
`when: "the following spring"` passes. The lists are deliberately small and loose: the check only
keeps words that are no date off the timeline; `when` must also be found in the passage's block
(validate.py), which is what keeps dates honest.

An entry ending in `*` is a stem: any word beginning with it matches (Russian and German inflect
and compound). Hebrew and Arabic words are also tried without their one-letter prefixes
(ב, ל, ה, ו, ...; و, ب, ل, ال, ...). Words are compared without accents, vowel points or case.
An article in a language not listed here is checked against every list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Each language: months, weekdays, relative time. The first of each is the example the message gives.
WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"),
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "weekday", "weekend"),
        ("yesterday", "today", "tomorrow", "tonight", "now", "recently", "lately", "ago", "earlier", "later",
         "previously", "formerly", "soon", "morning", "afternoon", "evening", "night", "midnight", "noon", "dawn",
         "dusk", "eve", "day", "days", "week", "weeks", "fortnight", "month", "months", "year", "years", "decade",
         "decades", "century", "centuries", "hour", "hours", "minute", "minutes", "season", "spring", "summer",
         "autumn", "fall", "winter", "before", "after", "during", "since", "until", "till", "time", "times", "era",
         "period", "childhood", "youth", "Christmas", "Easter", "Ramadan", "Passover", "Hanukkah", "Eid"),
    ),
    "fr": (
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
         "novembre", "décembre"),
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "week", "weekend"),
        ("hier", "aujourd", "demain", "récemment", "naguère", "autrefois", "bientôt", "tard", "tôt",
         "matin", "matinée", "soir", "soirée", "nuit", "midi", "minuit", "veille", "lendemain",
         "jour", "jours", "journée", "semaine", "semaines", "mois", "an", "ans", "année", "années", "décennie",
         "décennies", "siècle", "siècles", "heure", "heures", "minute", "minutes", "saison", "printemps", "été",
         "automne", "hiver", "avant", "après", "pendant", "depuis", "jusqu", "lors", "époque", "temps", "enfance",
         "jeunesse", "Noël", "Pâques", "Ramadan"),
    ),
    "es": (
        ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
         "octubre", "noviembre", "diciembre"),
        ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "finde"),
        ("ayer", "hoy", "mañana", "anoche", "anteayer", "recientemente", "pronto", "tarde", "noche", "madrugada",
         "mediodía", "medianoche", "día", "días", "semana", "semanas", "mes", "meses", "año", "años", "década",
         "décadas", "siglo", "siglos", "hora", "horas", "minuto", "minutos", "temporada", "primavera", "verano",
         "otoño", "invierno", "antes", "después", "durante", "desde", "hasta", "época", "tiempo", "tiempos",
         "infancia", "juventud", "Navidad", "Pascua", "Ramadán"),
    ),
    "de": (
        ("Januar", "Jänner", "Februar", "Feber", "März", "April", "Mai", "Juni", "Juli", "August", "September",
         "Oktober", "November", "Dezember"),
        ("Montag*", "Dienstag*", "Mittwoch*", "Donnerstag*", "Freitag*", "Samstag*", "Sonnabend*", "Sonntag*",
         "Wochenend*"),
        ("gestern", "heute", "morgen", "vorgestern", "übermorgen", "damals", "kürzlich", "neulich", "früher",
         "später", "bald", "jetzt", "nun", "Vormittag*", "Nachmittag*", "Mittag*", "Abend*", "Nacht", "Mitternacht",
         "Tag*", "Woche*", "Monat*", "Jahr*", "Jahrzehnt*", "Jahrhundert*", "Stunde*", "Minute*", "Saison",
         "Frühling*", "Frühjahr*", "Sommer*", "Herbst*", "Winter*", "vor", "nach", "während", "seit", "bis",
         "Zeit*", "Ära", "Epoche", "Kindheit", "Jugend", "Weihnacht*", "Ostern", "Ramadan"),
    ),
    "ru": (
        ("январ*", "феврал*", "март*", "апрел*", "май", "мая", "мае", "июн*", "июл*", "август*", "сентябр*",
         "октябр*", "ноябр*", "декабр*"),
        ("понедельник*", "вторник*", "среда", "среду", "среды", "среде", "четверг*", "пятниц*", "суббот*",
         "воскресень*", "выходн*"),
        ("вчера", "сегодня", "завтра", "позавчера", "послезавтра", "недавно", "ныне", "теперь", "сейчас",
         "раньше", "прежде", "позже", "позднее", "скоро", "утр*", "днём", "день", "дня", "дне", "дней", "сутки",
         "вечер*", "ночь", "ночью", "ночи", "недел*", "месяц*", "год", "года", "году", "годы", "годах", "годов",
         "лет", "век", "века", "веке", "веков", "десятилети*", "час", "часа", "часов", "минут*", "сезон*",
         "весн*", "лето", "лета", "летом", "осен*", "зим*", "до", "после", "время", "времена",
         "времён", "эпох*", "детств*", "юност*", "рождеств*", "пасх*", "рамадан*"),
    ),
    "he": (
        ("ינואר", "פברואר", "מרץ", "מרס", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר",
         "נובמבר", "דצמבר", "תשרי", "חשון", "חשוון", "מרחשוון", "כסלו", "טבת", "שבט", "אדר", "ניסן", "אייר",
         "סיון", "סיוון", "תמוז", "אב", "אלול"),
        ("ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת"),
        ("אתמול", "היום", "מחר", "שלשום", "מחרתיים", "עכשיו", "כעת", "לאחרונה", "בקרוב", "קודם", "לפני", "אחרי",
         "אחר", "מהלך", "מאז", "עד", "יום", "ימים", "שבוע", "שבועות", "חודש", "חודשים", "שנה", "שנים", "שנת",
         "עשור", "עשורים", "מאה", "שעה", "שעות", "דקה", "דקות", "בוקר", "צהריים", "ערב", "לילה", "חצות", "עונה",
         "אביב", "קיץ", "סתיו", "חורף", "תקופה", "תקופת", "זמן", "ילדות", "נעורים", "פסח", "חנוכה", "סוכות",
         "פורים", "כיפור", "רמדאן"),
    ),
    "ar": (
        ("يناير", "فبراير", "مارس", "أبريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
         "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين",
         "محرم", "صفر", "ربيع", "جمادى", "رجب", "شعبان", "رمضان", "شوال", "القعدة", "الحجة"),
        ("الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
        ("أمس", "الأمس", "اليوم", "غدا", "غد", "الآن", "مؤخرا", "قريبا", "سابقا", "لاحقا", "قبل", "بعد", "خلال",
         "منذ", "حتى", "أثناء", "يوم", "أيام", "أسبوع", "أسابيع", "شهر", "أشهر", "شهور", "عام", "أعوام", "سنة",
         "سنوات", "سنين", "عقد", "عقود", "قرن", "قرون", "ساعة", "ساعات", "دقيقة", "دقائق", "صباح", "ظهر", "مساء",
         "ليلة", "ليل", "فجر", "منتصف", "موسم", "صيف", "خريف", "شتاء", "فترة", "زمن", "وقت", "عهد", "طفولة",
         "شباب", "عيد"),
    ),
}

ALLOW = "when-date"  # the name `allow:` takes to accept a `when` that looks like no date
_PREFIXES = "והבכלמש" + "وفبلكا"  # Hebrew and Arabic one-letter prefixes (ال is ا and ل)
_MAX_PREFIX = 4  # وبال + word, וכשה + word
_WORD = re.compile(r"\w+")
_SPECIAL = str.maketrans({"ى": "ي", "ة": "ه", "ـ": "", "ß": "ss"})


def _plain(text: str) -> str:
    """Without accents, vowel points, Arabic hamza seats or case (ё is е, أ is ا)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def language_of(language: str) -> str:
    """The language part of a tag: `he-IL` → `he`."""
    return language.replace("_", "-").split("-")[0].lower()


@cache
def _lists(language: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The whole words and the stems of a language (of every language when it has no list)."""
    groups = [WORDS[language]] if language in WORDS else list(WORDS.values())
    words: set[str] = set()
    stems: set[str] = set()
    for group in groups:
        for entry in (e for kind in group for e in kind):
            plain = _plain(entry)
            if plain.endswith("*"):
                stems.add(plain[:-1])
            else:
                words.add(plain)
    return frozenset(words), tuple(sorted(stems))


def _forms(word: str):
    """The word, and the word without each of its leading one-letter prefixes (Hebrew, Arabic)."""
    yield word
    for i in range(1, min(_MAX_PREFIX, len(word) - 2) + 1):
        if word[i - 1] not in _PREFIXES:
            return
        yield word[i:]


def looks_like_date(when: str, language: str) -> bool:
    """Whether `when` has a digit of any script, or a month, weekday or time word of the language."""
    if any(c.isdecimal() for c in when):
        return True
    words, stems = _lists(language_of(language))
    return any(
        form in words or form.startswith(stems)
        for word in _WORD.findall(_plain(when)) for form in _forms(word)
    )


def examples(language: str) -> str:
    """A month, a weekday and a word of relative time of the language, quoted, for messages."""
    months, weekdays, relative = WORDS.get(language_of(language), WORDS["en"])
    return ", ".join(f'"{w.rstrip("*")}"' for w in (months[0], weekdays[0], relative[0]))
