"""`--roster class.csv` is read as every user's CSV is (generator/sources/userfiles.py): a regular file of at
most MAX_TEXT bytes, in the encodings and dialects spreadsheets write, with fields of any length."""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from generator.cli import app
from generator.errors import UsageError
from generator.sources.userfiles import MAX_TEXT
from generator.tools.mark.roster import read_roster

NAMES = "number,name,email\n000815,Zoë Ávila,z@example.org\n42,Ben Okafor,\n"


@pytest.mark.parametrize("encoding, text", [
    ("utf-8", NAMES),
    ("utf-8-sig", NAMES),  # Excel's "CSV UTF-8"
    ("cp1252", NAMES),  # Excel's "CSV" on Windows
    ("utf-16", NAMES.replace(",", "\t")),  # Excel's "Unicode text": UTF-16 with its mark, tab-separated
    ("utf-16-le", NAMES),  # without a mark
    ("utf-8", NAMES.replace(",", ";") + ";;\n"),  # a semicolon list with a spreadsheet's empty last line
    ("utf-8", NAMES.replace("\n", "\r\n")),
])
def test_a_roster_in_any_encoding_and_dialect_a_spreadsheet_writes(tmp_path, encoding, text):
    roster = tmp_path / "class.csv"
    roster.write_bytes(text.encode(encoding))
    entries = read_roster(roster)
    assert list(entries) == ["000815", "42"]
    assert entries["000815"]["name"] == "Zoë Ávila" and entries["000815"]["email"] == "z@example.org"
    assert entries["42"] == {"number": "42", "name": "Ben Okafor", "email": ""}


def test_a_long_field_is_read_whole(tmp_path):
    """Longer than the csv module's own limit (131,072 characters): a roster with a long note."""
    roster = tmp_path / "class.csv"
    note = "x" * 200_000
    roster.write_text(f"number,name,note\n7,\"A, B\",{note}\n", encoding="utf-8")
    assert read_roster(roster)["7"] == {"number": "7", "name": "A, B", "note": note}


def test_a_roster_too_large_is_refused_before_it_is_read(tmp_path):
    roster = tmp_path / "class.csv"
    with roster.open("wb") as handle:  # sparse: refused by its size, not by reading it
        handle.truncate(MAX_TEXT + 1)
    with pytest.raises(UsageError, match=f"class.csv: is {MAX_TEXT + 1:,} bytes; the limit is"):
        read_roster(roster)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_pipe_a_device_or_a_folder_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "class.csv"
    os.mkfifo(fifo)  # nobody writes to it: reading it would wait for ever
    with pytest.raises(UsageError, match="is not a regular file"):
        read_roster(fifo)
    if os.path.exists("/dev/zero"):
        link = tmp_path / "zero.csv"
        link.symlink_to("/dev/zero")
        with pytest.raises(UsageError, match="is not a regular file"):
            read_roster(link)
    with pytest.raises(UsageError, match="is a folder"):
        read_roster(tmp_path)
    with pytest.raises(UsageError, match="no such file"):
        read_roster(tmp_path / "missing.csv")


@pytest.mark.parametrize("text, message", [
    ("student;email\n1;a@b\n", "class.csv:1:1: error: a roster needs the columns number and name"),
    ("id,name\n12a,X\n", "class.csv:2:1: error: the student number must be digits 0-9, not '12a'"),
    # other digits than a sheet's bubbles: Arabic-Indic and full-width (the tester's arabicdigits.csv, fullwidth.csv)
    ("number,name\n815,A\n٨١٥,Arabic digits\n", "class.csv:3:1: error: the student number must be digits 0-9, not '٨١٥'"),
    ("number,name\n１２３,Fullwidth\n", "class.csv:2:1: error: the student number must be digits 0-9, not '１２３'"),
    # the same number on a sheet once padded with zeros (the tester's zerodup.csv, dupzeros.csv)
    ("number,name\n314187,Zoe First\n0314187,Someone Else\n",
     "class.csv:3:1: error: the student number 0314187 is on the roster twice (line 2 has 314187: the same number on a sheet)"),
    ("number,name\n815,A\n000815,B\n", "class.csv:3:1: error: the student number 000815 is on the roster twice"),
    ("Student Number,Name\n5,X\n6,Y\n5,Z\n", "class.csv:4:1: error: the student number 5 is on the roster twice"),
])
def test_a_roster_mistake_is_one_line_naming_the_place(tmp_path, text, message):
    roster = tmp_path / "class.csv"
    roster.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        read_roster(roster)
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_build_and_mark_refuse_a_roster_that_is_a_pipe_in_one_line(tmp_path):
    fifo = tmp_path / "class.csv"
    os.mkfifo(fifo)
    pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras")
    out = tmp_path / "out"
    for command in (["mark", str(tmp_path), "--key", str(tmp_path), "--roster", str(fifo), "--out", str(out)],
                    ["build", str(FIXTURES), "--out", str(out), "--only", "quiz", "--answer-sheet", "--roster", str(fifo)]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2 and "class.csv: is not a regular file" in result.output, command
        assert "Traceback" not in result.output and not out.exists()


# the tester's files (/tmp/qa-mark/rosters), byte for byte
QUOTES = b'\xef\xbb\xbfnumber,name,email\r\n314187,"Salah, Mohammed ""Mo""",mo@school.org\r\n' \
         b'418916,"Dana ""DJ"" Jones",dj@school.org\r\n'  # quotes.csv: Excel's "CSV UTF-8"
QUOTES2 = b'number,name,email\r\n314187,"Lee, Ann ""Annie"", Jr.",ann@school.org\r\n'  # quotes2.csv
HEBREW_1255 = b"number,name\r\n837832,\xf9\xf8\xe4 \xeb\xe4\xef\r\n314187,\xe3\xe5\xe3 \xec\xe5\xe9\r\n"
ARABIC_1256 = b"number,name\r\n628374,\xe3\xcd\xe3\xcf \xc7\xe1\xc3\xcd\xe3\xcf\r\n"
MIXED = (b"number,name\n837832,\xd7\xa9\xd7\xa8\xd7\x94 \xd7\x9b\xd7\x94\xd7\x9f\n628374,\xd9\x85\xd8\xad\xd9\x85"
         b"\xd8\xaf \xd8\xa7\xd9\x84\xd8\xa3\xd8\xad\xd9\x85\xd8\xaf\n314187,Zo\xeb Dupr\xe9\n")  # mixedenc.csv


@pytest.mark.parametrize("data, expected", [
    (QUOTES, {"314187": ('Salah, Mohammed "Mo"', "mo@school.org"), "418916": ('Dana "DJ" Jones', "dj@school.org")}),
    (QUOTES2, {"314187": ('Lee, Ann "Annie", Jr.', "ann@school.org")}),
    # the same as Google Sheets (LF), LibreOffice with semicolons, Numbers and Excel's "Unicode text" (tabs)
    (QUOTES2.replace(b"\r\n", b"\n"), {"314187": ('Lee, Ann "Annie", Jr.', "ann@school.org")}),
    (b'number;name;email\r\n314187;"Lee, Ann ""Annie"", Jr.";ann@school.org\r\n',
     {"314187": ('Lee, Ann "Annie", Jr.', "ann@school.org")}),
    ('number\tname\temail\r\n314187\t"Lee, Ann ""Annie"", Jr."\tann@school.org\r\n',  # UTF-16 with its mark
     {"314187": ('Lee, Ann "Annie", Jr.', "ann@school.org")}),
    # a quoted name holding a line break and the separator, on an old Mac's CR lines
    (b'number,name,email\r1,"A ""B""\rC, D",x@y\r', {"1": ('A "B"\rC, D', "x@y")}),
])
def test_quotes_doubled_inside_a_quoted_field_are_one_quote(tmp_path, data, expected):
    """Excel, Sheets, LibreOffice and Numbers double a `"` inside a quoted field; the header has no
    quote to tell it from, so the reader takes their dialect and sniffs only the separator."""
    roster = tmp_path / "class.csv"
    roster.write_bytes(data.encode("utf-16") if isinstance(data, str) else data)
    entries = read_roster(roster)
    assert {n: (e["name"], e["email"]) for n, e in entries.items()} == expected


def test_a_review_file_names_a_scan_with_quotes_and_a_comma(tmp_path):
    """The tester's rev/weird.csv, saved by review.html for a scan named `כיתה ז, שיעור "2".pdf`: every
    decision is read, for that scan (before, none was: the name read as `כיתה ז, שיעור "2"".pdf"`)."""
    pytest.importorskip("cv2", reason="OpenCV is in the mark and test extras")
    from generator.tools.mark.review import read_decisions

    name = 'כיתה ז, שיעור "2".pdf'
    review = tmp_path / "review.csv"
    review.write_text("scan,page,student,version,question,row,problem,read,fills,decision\n"
                      '"כיתה ז, שיעור ""2"".pdf",1,523645,C,16,,"a light, erased, partial or cancelled mark",D?,0.02,c\n'
                      '"כיתה ז, שיעור ""2"".pdf",2,837832,C,28,,"a light, erased, partial or cancelled mark",F?,0.42,f✗\n',
                      encoding="utf-8")
    assert read_decisions(review).plain() == {(name, 1, "16", ""): "c", (name, 2, "28", ""): "f✗"}


@pytest.mark.parametrize("data, names", [
    (HEBREW_1255, {"837832": "שרה כהן", "314187": "דוד לוי"}),  # excel-hebrew-1255.csv
    (ARABIC_1256, {"628374": "محمد الأحمد"}),  # excel-arabic-1256.csv
    ("number,name\r\n1,Ayşe Yılmaz\r\n2,Ömer Çelik\r\n3,İsmail Şahin\r\n4,Büşra Kılıç\r\n5,Oğuz Doğan\r\n"
     "6,Şule Güneş\r\n7,Zeynep Aydın\r\n8,Mustafa Öztürk\r\n9,Gülşen Koç\r\n10,Ahmet Yıldız\r\n".encode("cp1254"),
     {"1": "Ayşe Yılmaz", "3": "İsmail Şahin", "10": "Ahmet Yıldız"}),
    ("number,name\r\n1,Zoë Dupré\r\n2,François Müller\r\n".encode("cp1252"), {"1": "Zoë Dupré", "2": "François Müller"}),
    ("number,name\r\n1,Иван Петров\r\n2,Анна Смирнова\r\n".encode("cp1251"), {"1": "Иван Петров", "2": "Анна Смирнова"}),
])
def test_a_roster_in_a_windows_code_page_is_read_in_it(tmp_path, data, names):
    """Excel's "CSV" on Windows is in the system's code page: Windows-1255 in Israel, -1256 in Arab
    countries, -1254 in Turkey; told by charset-normalizer, not taken for Windows-1252 (`ùøä ëäï`)."""
    roster = tmp_path / "class.csv"
    roster.write_bytes(data)
    entries = read_roster(roster)
    assert {n: entries[n]["name"] for n in names} == names


def test_a_roster_in_two_encodings_is_refused_naming_the_line(tmp_path):
    """UTF-8 but for one line in Windows-1252 (the tester's mixedenc.csv): no reading of it is right, so
    no name is turned into mojibake; the line to fix is named."""
    roster = tmp_path / "class.csv"
    roster.write_bytes(MIXED)
    with pytest.raises(UsageError) as error:
        read_roster(roster)
    message = str(error.value)
    assert message.startswith(f"{roster}: line 4 is not UTF-8 like the rest of the file (byte 0xEB)")
    assert "save it again as UTF-8" in message and "\n" not in message


def test_a_file_whose_encoding_cannot_be_told_is_refused(tmp_path, monkeypatch):
    roster = tmp_path / "class.csv"
    roster.write_bytes(b"number,name\n1,Ann\n2,x\xf0\xd0y \xc0\xe0\n")  # bytes no code page reads as a name
    with pytest.raises(UsageError, match=r"class.csv: cannot tell which encoding line 3 is in \(it is not UTF-8\)"):
        read_roster(roster)
    monkeypatch.setitem(__import__("sys").modules, "charset_normalizer", None)  # an install without it
    roster.write_bytes(HEBREW_1255)
    with pytest.raises(UsageError, match=r"line 2 is not UTF-8, and telling its encoding needs charset-normalizer"):
        read_roster(roster)


def test_students_of_the_roster_without_a_sheet_get_a_row_without_a_total():
    from types import SimpleNamespace

    from generator.tools.mark.grade import marks_table
    from generator.tools.mark.roster import NO_SHEET, absent

    roster = {"000815": {"name": "Ben"}, "4711": {"name": "Zoë"}, "42": {"name": "Away"}, "7": {"name": "Gone"}}
    marked = [SimpleNamespace(number="815"), SimpleNamespace(number="004711"), SimpleNamespace(number=None)]
    missing = absent(marked, roster)
    assert missing == [("42", "Away"), ("7", "Gone")]
    rows = marks_table([], missing)
    assert rows[1:] == [["42", "Away", *[""] * (len(rows[0]) - 3), NO_SHEET], ["7", "Gone", *[""] * (len(rows[0]) - 3),
                                                                                NO_SHEET]]


def test_mark_names_the_first_five_students_without_a_sheet_and_counts_the_rest():
    from pathlib import Path

    from generator.tools.mark.roster import absent_line

    missing = [(str(n), f"S{n}") for n in range(1, 9)]
    assert absent_line(missing, Path("m/marks.csv")) == (
        "8 students of the roster have no sheet with their number among the scans: 1 S1, 2 S2, 3 S3, 4 S4, 5 S5 "
        "and 3 more (rows without a total at the end of m/marks.csv)")
    assert absent_line([("42", "")], Path("marks.csv")).startswith("1 student of the roster has no sheet with their number")


def test_a_roster_too_short_to_tell_cyrillic_from_latin_is_refused_naming_each_reading(tmp_path):
    """One Cyrillic name in Windows-1251 reads as a Latin name in -1250 (`Čâŕí Ďĺňđîâ`) and a Greek one in
    -1253, no less well: refused in one line that shows each reading and says to save it as UTF-8, not
    read as mojibake. Two names are told (charset-normalizer finds the others messier), and a few
    Western names in two Latin code pages are not in doubt (the one Windows uses most)."""
    roster = tmp_path / "class.csv"
    roster.write_bytes("number,name\r\n314187,Иван Петров\r\n".encode("cp1251"))
    with pytest.raises(UsageError) as refused:
        read_roster(roster)
    assert str(refused.value) == (
        f"{roster}: cannot tell which encoding line 2 is in: it is not UTF-8, and it reads as names in Latin "
        "(Windows-1250: 314187,Čâŕí Ďĺňđîâ), Cyrillic (Windows-1251: 314187,Иван Петров) and Greek (Windows-1253: "
        "314187,Θβΰν Οεςπξβ); save it again as UTF-8 (Excel: \"CSV UTF-8\"; LibreOffice: character set "
        "\"Unicode (UTF-8)\")")
    roster.write_bytes("number,name\r\n1,Иван Петров\r\n2,Анна Смирнова\r\n".encode("cp1251"))
    assert read_roster(roster)["1"]["name"] == "Иван Петров"
    roster.write_bytes("number,name\r\n1,Zoë Dupré\r\n".encode("cp1252"))
    assert read_roster(roster)["1"]["name"] == "Zoë Dupré"
