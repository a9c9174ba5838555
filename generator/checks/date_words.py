"""What a `when` must look like: a date or a time, in the article's language.

A `when` with a digit (of any script: 1948, ١٩٤٨) passes. One without a digit must hold a word of
its language's short list below: a month, a weekday, or a word of relative time ("yesterday",
"last week", "in the spring", "after", "during"), so that `when: the` or `when: he` is caught while
`when: "the following spring"` passes. The lists are deliberately small and loose: the check only
keeps words that are no date off the timeline; `when` must also be found in the passage's block
(validate.py), which is what keeps dates honest.

An entry ending in `*` is a stem: any word beginning with it matches (Russian and German inflect
and compound). Hebrew and Arabic words are also tried without their one-letter prefixes
(ב, ל, ה, ו, ...; و, ب, ل, ال, ...). Chinese and Japanese, written without spaces between words, have
no word edges to see: their entries are found anywhere in the `when` (周一 in 上周一, 曜 in 月曜日).
Words are compared without accents, vowel points or case.
An article in a language not listed here is checked against every list.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from generator.unicode_forms import unspaced

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
    # Chinese (simplified and traditional) and Japanese are written without spaces, so their entries
    # are found anywhere in a `when` (周一 in 上周一晚上; 月 in 三月 and 十月五日, 年 in 一九八七年);
    # a lone character that is often no date (日 of 日本, 前 of 名前, 分 of 自分) is not one of them.
    "zh": (
        ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月", "正月",
         "月"),
        ("周一", "周二", "周三", "周四", "周五", "周六", "周日", "周末", "週一", "週二", "週三", "週四", "週五",
         "週六", "週日", "週末", "星期", "礼拜", "禮拜"),
        ("昨天", "今天", "明天", "前天", "后天", "後天", "昨日", "今日", "明日", "当天", "當天", "当日", "當日",
         "次日", "翌日", "日前", "天前", "天后", "天後", "年", "世纪", "世紀", "上周", "下周", "本周", "上週", "下週",
         "本週", "早上", "早晨", "上午", "中午", "下午", "傍晚", "晚上", "夜", "凌晨", "春", "夏", "秋", "冬",
         "时", "時", "以前", "之前", "此前", "以后", "以後", "之后", "之後", "此后", "此後", "以来", "以來", "期间",
         "期間", "最近", "近来", "近來", "目前", "现在", "現在", "如今", "春节", "春節", "圣诞", "聖誕", "斋月", "齋月"),
    ),
    "ja": (
        ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月", "正月",
         "月"),
        ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日", "曜", "週末", "平日"),
        ("昨日", "今日", "明日", "一昨日", "明後日", "前日", "翌日", "当日", "同日", "日前", "日後", "年", "週",
         "今朝", "毎朝", "朝方", "午前", "午後", "昼", "夕方", "夜", "晩", "深夜", "未明", "春", "夏", "秋", "冬",
         "時", "今", "以前", "以来", "以降", "直前", "直後", "最近", "当時", "現在", "世紀", "正月", "お盆"),
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
def _lists(language: str) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """The whole words, the stems and the entries of scripts written without spaces (found anywhere
    in a `when`) of a language (of every language when it has no list)."""
    groups = [WORDS[language]] if language in WORDS else list(WORDS.values())
    words: set[str] = set()
    stems: set[str] = set()
    inside: set[str] = set()
    for group in groups:
        for entry in (e for kind in group for e in kind):
            plain = _plain(entry)
            if unspaced(plain[0]):
                inside.add(plain)
            elif plain.endswith("*"):
                stems.add(plain[:-1])
            else:
                words.add(plain)
    return frozenset(words), tuple(sorted(stems)), tuple(sorted(inside))


def _forms(word: str):
    """The word, and the word without each of its leading one-letter prefixes (Hebrew, Arabic)."""
    yield word
    for i in range(1, min(_MAX_PREFIX, len(word) - 2) + 1):
        if word[i - 1] not in _PREFIXES:
            return
        yield word[i:]


@lru_cache(maxsize=1024)  # the same few dates ("2016", "last week") recur across a library's questions
def looks_like_date(when: str, language: str) -> bool:
    """Whether `when` has a digit of any script, or a month, weekday or time word of the language."""
    if any(c.isdecimal() for c in when):
        return True
    words, stems, inside = _lists(language_of(language))
    plain = _plain(when)
    return any(entry in plain for entry in inside) or any(
        form in words or form.startswith(stems)
        for word in _WORD.findall(plain) for form in _forms(word)
    )


def examples(language: str) -> str:
    """A month, a weekday and a word of relative time of the language, quoted, for messages."""
    months, weekdays, relative = WORDS.get(language_of(language), WORDS["en"])
    return ", ".join(f'"{w.rstrip("*")}"' for w in (months[0], weekdays[0], relative[0]))
