"""Property tests: no generated e-mail, phone number or postcode survives, whatever surrounds it."""

import re
import string

import phonenumbers
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from app.services.redaction import _NOT_NAMES as NOT_NAMES
from app.services.redaction import redact

# Surrounding text: letters (accented too), punctuation and whitespace, but no digits, so the
# surroundings cannot turn a number into a longer one; numbers nearby are tested separately.
SURROUNDING = st.text(
    alphabet=st.sampled_from(string.ascii_letters + "éàøßÑ .,;:!?'\"()-\n\t£%&/"), max_size=60
)
SEPARATORS = st.sampled_from([" ", ", ", " (", ": ", "\n", " - ", "; ", " \u2014 "])
CLOSERS = st.sampled_from([" ", ", ", ") ", ". ", "\n", "! ", "? "])

LOCAL = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+\-]{0,15}", fullmatch=True)
LABEL = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,10}[A-Za-z0-9])?", fullmatch=True)
TLD = st.sampled_from(["com", "org", "net", "co.uk", "org.uk", "gov.uk", "io", "london", "ng"])
EMAILS = st.builds(lambda local, label, tld: f"{local}@{label}.{tld}", LOCAL, LABEL, TLD)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


def _grouped(number: str, sep: str, sizes: list[int]) -> str:
    out, i = [], 0
    for size in sizes:
        out.append(number[i : i + size])
        i += size
    out.append(number[i:])
    return sep.join(part for part in out if part)


PHONE_SEPARATORS = st.sampled_from(["", " ", "-", ".", "  ", " - "])
UK_MOBILES = st.builds(
    lambda rest, sep, split: _grouped("07" + rest, sep, split),
    _digits(9),
    PHONE_SEPARATORS,
    st.sampled_from([[5, 3], [5], [3, 3], [4, 3], [5, 2, 2], [1] * 10]),
)
LONDON = st.builds(
    lambda first, rest, sep, brackets: (
        f"(020){sep or ' '}{first}{rest[:3]}{sep}{rest[3:]}"
        if brackets
        else _grouped(f"020{first}{rest}", sep, [3, 4])
    ),
    st.sampled_from("378"),
    _digits(7),
    PHONE_SEPARATORS,
    st.booleans(),
)
INTERNATIONAL_UK = st.builds(
    lambda rest, sep, zero: f"+44{sep or ' '}{'(0)' if zero else ''}7{rest[:3]}{sep}{rest[3:]}",
    _digits(8),
    PHONE_SEPARATORS,
    st.booleans(),
)


def _abroad(region: str, kind: PhoneNumberType, sep: str) -> str:
    number = phonenumbers.example_number_for_type(region, kind)
    assert number is not None
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL).replace(" ", sep)


# Family abroad: the Caribbean, West Africa, South Asia, Europe, North America.
ABROAD = st.builds(
    _abroad,
    st.sampled_from(["JM", "TT", "NG", "GH", "SO", "PK", "IN", "BD", "PL", "PT", "FR", "US"]),
    st.sampled_from([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE]),
    st.sampled_from([" ", "-", "."]),
)
PHONES = st.one_of(UK_MOBILES, LONDON, INTERNATIONAL_UK, ABROAD)

INWARD = st.from_regex(r"[0-9][ABD-HJLNP-UW-Z]{2}", fullmatch=True)
OUTWARD = st.from_regex(
    r"(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])",
    fullmatch=True,
)
POSTCODES = st.builds(
    lambda outward, inward, space, lower: (
        (f"{outward}{' ' if space else ''}{inward}").lower()
        if lower
        else f"{outward}{' ' if space else ''}{inward}"
    ),
    OUTWARD,
    INWARD,
    st.booleans(),
    st.booleans(),
)


def _surrounded(detail: str, before: str, sep: str, after: str, close: str) -> str:
    return f"{before}{sep}{detail}{close}{after}"


@settings(max_examples=400, deadline=None)
@given(EMAILS, SURROUNDING, SEPARATORS, SURROUNDING, CLOSERS)
def test_no_email_survives(email: str, before: str, sep: str, after: str, close: str) -> None:
    out = redact(_surrounded(email, before, sep, after, close))
    assert email not in out and "[email]" in out


@settings(max_examples=400, deadline=None)
@given(PHONES, SURROUNDING, SEPARATORS, SURROUNDING, CLOSERS)
def test_no_phone_number_survives(
    phone: str, before: str, sep: str, after: str, close: str
) -> None:
    out = redact(_surrounded(phone, before, sep, after, close))
    assert phone not in out and "[phone]" in out
    # Not even most of its digits in a row.
    digits = re.sub(r"\D", "", phone)
    assert digits[-7:] not in re.sub(r"\D", "", out)


@settings(max_examples=400, deadline=None)
@given(POSTCODES, SURROUNDING, SEPARATORS, SURROUNDING, CLOSERS)
def test_no_postcode_survives(postcode: str, before: str, sep: str, after: str, close: str) -> None:
    out = redact(_surrounded(postcode, before, sep, after, close))
    assert postcode not in out and "[postcode]" in out


@settings(max_examples=200, deadline=None)
@given(
    PHONES,
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=0, max_value=3000),
    st.sampled_from(["people came in", "arrests since", "stops in", "officers and"]),
)
def test_numbers_nearby_do_not_hide_a_phone_number(
    phone: str, count: int, year: int, words: str
) -> None:
    text = f"{count} {words} {year}, call {phone} about the {count} stops"
    out = redact(text)
    assert phone not in out and "[phone]" in out
    assert f"{count} {words} {year}" in out


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_redaction_never_fails_and_keeps_text_without_digits_or_titles(text: str) -> None:
    out = redact(text)
    assert isinstance(out, str)
    if not any(c.isdigit() or c == "@" for c in text) and " at " not in text.lower():
        # With no digits and no e-mail, only a name after a title can change.
        assert out == text or "[name]" in out


TITLE_WORDS = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "PC",
    "PCSO",
    "DC",
    "DS",
    "DI",
    "Sgt",
    "Insp",
    "Inspector",
    "Supt",
    "Superintendent",
    "Cllr",
    "Councillor",
)
TITLES = st.sampled_from(TITLE_WORDS)
NAME_WORDS = st.from_regex(r"[A-Z][a-z]{2,9}(?:-[A-Z][a-z]{2,9}|'[A-Z][a-z]{2,8})?", fullmatch=True)
LOWER_WORDS = st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=6).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(
    TITLES, st.booleans(), st.lists(NAME_WORDS, min_size=1, max_size=2), LOWER_WORDS, LOWER_WORDS
)
def test_no_name_after_a_title_survives(
    title: str, dot: bool, names: list[str], before: str, after: str
) -> None:
    assume(all(n.lower() not in NOT_NAMES for n in names))
    # The words around are plain context: a title typed among them ("mr aa") is a name to redact.
    titles = {t.lower() for t in TITLE_WORDS}
    assume(not titles & set(f"{before} {after}".split()))
    person = " ".join(names)
    text = f"{before} {title}{'.' if dot else ''} {person} {after}".strip()
    out = redact(text)
    assert all(name not in out for name in names) and "[name]" in out
    assert out.startswith(before.strip()) and out.endswith(after.strip())


CURRENT_PLATES = st.from_regex(r"[A-HJ-PR-Y][A-HJ-PR-Y][0-9]{2} ?[A-HJ-PR-Z]{3}", fullmatch=True)
COLLARS = st.from_regex(r"[1-9][0-9]{1,5}(?:WA|KN|CW|WW|KT|SW|EK|LX|NH|JC)", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.one_of(CURRENT_PLATES, COLLARS), LOWER_WORDS, SEPARATORS, LOWER_WORDS, CLOSERS)
def test_no_plate_or_collar_number_survives(
    detail: str, before: str, sep: str, after: str, close: str
) -> None:
    out = redact(_surrounded(detail, before, sep, after, close))
    assert detail not in out and ("[vehicle]" in out or "[collar number]" in out)
