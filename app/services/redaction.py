"""Redaction before storage: personal details in free text become tags (SPEC §3.2).

`redact(text)` is the one entry point, used by every path that stores or shows resident or
facilitator text. It replaces emails, phone numbers, postcodes, street addresses, vehicle
registrations, police collar numbers and personal names after a title or rank with a tag, and
keeps everything else exactly as written. Each pass is a compiled pattern, and the phone pass
(the only costly one) runs only when the text holds a run of digits long enough to be a number.
"""

import re
from collections.abc import Callable

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

EMAIL, PHONE, POSTCODE, ADDRESS = "[email]", "[phone]", "[postcode]", "[address]"
VEHICLE, COLLAR, NAME = "[vehicle]", "[collar number]", "[name]"
TAGS = (EMAIL, PHONE, POSTCODE, ADDRESS, VEHICLE, COLLAR, NAME)

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_DOT = r"(?:\.|\s*[(\[]dot[)\]]\s*|\s+dot\s+)"
_EMAIL = re.compile(
    rf"[A-Za-z0-9._%+\-]+(?:\s*@\s*|\s*[(\[]at[)\]]\s*){_LABEL}(?:{_DOT}{_LABEL})+"
    rf"|\b[A-Za-z0-9._%+\-]+\s+at\s+{_LABEL}(?:\s+dot\s+{_LABEL})*"
    r"\s+dot\s+(?:com|org|net|co|uk|gov|ac|me|io)\b(?:\s+dot\s+uk\b)?",
    re.IGNORECASE,
)

# Digits, possibly split by spaces, dashes, dots, slashes or brackets: a phone number candidate.
_DIGIT_RUN = re.compile(r"(?:\+|\b00)?\(?\d(?:[\s\-.()\u2013]{0,3}\d){6,}")
_PHONE_CHARS = re.compile(r"\d")

# Inward codes never use C, I, K, M, O or V, so "b4 2pm" is not a postcode.
_POSTCODE = re.compile(
    r"\b(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)

_VEHICLE = re.compile(
    r"\b(?:"
    r"(?i:[A-Z]{2}\d{2}\s?[A-Z]{3})"  # current: AB12 CDE
    r"|[A-HJ-PR-Y]\d{1,3}\s?[A-Z]{3}"  # prefix: A123 BCD
    r"|[A-Z]{3}\s?\d{1,3}\s?[A-HJ-PR-Y]"  # suffix: ABC 123D
    r")\b"
)

_RANKS = (
    r"Detective\s+Chief\s+Superintendent|Detective\s+Chief\s+Inspector|Detective\s+Superintendent"
    r"|Detective\s+Inspector|Detective\s+Sergeant|Detective\s+Constable|Chief\s+Superintendent"
    r"|Chief\s+Inspector|Police\s+Constable|Ch\.?\s?Supt|Superintendent|Supt|Inspector|Insp"
    r"|Sergeant|Sgt|PCSO|DCI|DSI|DSU|DC|DS|DI|PC|PS|WPC|Constable|Officer|Commander"
    r"|(?:Deputy\s+|Assistant\s+)?Commissioner"
)
_TITLES = r"Councillor|Cllr|Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev"

# The number word is needed: "my shoulder 2 weeks ago" is not a collar number.
_CUE = r"(?:collar|shoulder|badge|warrant|epaulette)\s*(?:number|no\.?|num|#|id)"
# A collar number after its cue word ("shoulder number 3389CW", "badge no. 1234").
_COLLAR_CUED = re.compile(
    rf"(\b{_CUE}\s*[:#]?\s*)(?:[A-Z]{{1,2}}\s?)?\d{{1,6}}\s?[A-Z]{{0,2}}\b", re.IGNORECASE
)
# A number after a rank ("PC 4521WA", "PS 712KN", "PCSO 1234"); "DC 10 years ago" is not.
_COLLAR_RANKED = re.compile(
    rf"(\b(?:{_RANKS}|(?i:pc|ps|pcso|wpc|sgt))\.?\s*)"
    r"(?:\d{1,6}\s?[A-Za-z]{2}(?![\w'\u2019])|\d{3,6}\b)"
)
# A Met-style collar number on its own: digits and a two-letter borough code, "4521WA".
_NOT_BOROUGHS = "AM|PM|KM|CM|MM|KG|GB|MB|TB|ST|ND|RD|TH|MP|BC|AD|HR|HZ|KW|MG|ML|CC"
_COLLAR_BARE = re.compile(rf"\b\d{{2,6}}(?!{_NOT_BOROUGHS})[A-Z]{{2}}\b")

_STREET_TYPES = (
    r"Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Place|Pl|Gardens|Gdns|Court|Ct"
    r"|Crescent|Cres|Grove|Gr|Terrace|Terr|Square|Sq|Hill|Park|Row|Mews|Walk|Rise|Parade|Green"
    r"|Vale|View|Yard|Passage|Embankment|Gate|Wharf|Broadway|Quay|Estate|House|Mansions|Tower"
    r"|Lodge|Point|Buildings|Heights|Villas|Cottages"
)
_CAPWORD = r"(?:[A-Z][A-Za-z'\u2019\-]*|St\.?)"
_FLAT = r"(?:(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt\.?|[Uu]nit)\s*\d{1,4}[A-Za-z]?\s*,?\s*)"
_ADDRESS = re.compile(
    rf"\b(?:{_FLAT}?\d{{1,4}}[A-Za-z]?(?:\s?[-\u2013]\s?\d{{1,4}})?,?\s+(?:{_CAPWORD}\s+){{1,3}}"
    rf"|{_FLAT}(?:{_CAPWORD}\s+){{1,3}})(?i:{_STREET_TYPES})\b"
)
# Typed in lower case ("5 york road"): only unmistakable street types, and no word that makes
# it a distance or a size ("a 5 minute walk", "a 3 bedroom house").
_ADDRESS_LOWER = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?P<words>(?:[a-z][a-z'\u2019\-]+\s+){1,2})"
    r"(?:road|rd|street|avenue|ave|lane|crescent|grove|terrace|gardens|mews|close|drive)\b"
)
_NOT_STREET_WORDS = frozenset(
    """
    a an the my our your his her their this that on in at to of by down up along across from
    minute minutes min mins hour hours hr hrs second seconds day days week weeks month months
    year years mile miles metre metres meter meters yard yards km way lane storey story bed
    bedroom bedrooms acre acres times car cars door doors police officers officer people kids
    more less than other new old big small long short """.split()  # noqa: SIM905
)

# Capitalised words that follow a title or rank but are not names ("the Inspector. The ...").
_NOT_NAMES = frozenset(
    """
    a an and as at but by for from he her his i if in is it its my no nor not of on or our she
    so that the their them then there they this to us was we were what when where who why will
    with yes you your said says say asked told came come went did does do had has have also
    just still even only never always please thanks thank sorry hello hi dear after before
    because since until while all any some many most every everyone nobody someone anyone how
    which whose here today tonight yesterday tomorrow again however although though would could
    should can cannot might must may been being be are am into out over up down off about above
    below between through during against without within around across let lets one two three
    four five six seven eight nine ten
    """.split()  # noqa: SIM905
)
# A capital (accented ones too: "Ní Bhriain", "Łukasz"), then letters, apostrophes, hyphens.
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_NAME = rf"[{_UPPER}][^\W\d_]*(?:['\u2019][^\W\d_]+)*(?:-[{_UPPER}][^\W\d_'\u2019]*)*"
_NAMED = re.compile(
    rf"(?<![\w-])(?P<title>(?:{_RANKS}|{_TITLES})\.?|(?i:mr|mrs|cllr|sgt|supt|insp|pcso)\.?)"
    rf"(?P<gap>\s+)(?P<initials>(?:[A-Z]\.?\s*){{0,2}}\s)?"
    rf"(?P<first>{_NAME})(?:(?P<gap2>\s+)(?P<second>{_NAME}))?"
    rf"(?![\w'\u2019])"
)
# Only titles that never precede an ordinary word take a name typed in lower case ("mr jones").
_NAMED_LOWER = re.compile(
    r"(?<![\w-])(?P<title>(?i:mr|mrs|cllr)\.?\s+)"
    r"(?P<first>[a-z][a-z'\u2019]+(?:-[a-z'\u2019]+)*)(?![\w'\u2019])"
)


def _replace_email(text: str) -> str:
    # The pattern is costly to try at every position: only run it when an e-mail can be there.
    lowered = text.lower()
    spoken = " at " in lowered and " dot " in lowered
    if "@" in text or "(at)" in lowered or "[at]" in lowered or spoken:
        return _EMAIL.sub(EMAIL, text)
    return text


def _possible_phone(raw: str) -> bool:
    digits = "".join(_PHONE_CHARS.findall(raw))
    international = raw.lstrip("(").startswith(("+", "00"))
    if not (international or digits.startswith("0")) or not 10 <= len(digits) <= 15:
        return False
    try:
        number = phonenumbers.parse("+" + digits[2:] if raw.startswith("00") else raw, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


def _replace_phone(text: str) -> str:
    runs = _DIGIT_RUN.findall(text)
    if not runs:
        return text
    spans: list[tuple[int, int]] = []
    for match in PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        if phonenumbers.is_valid_number(match.number) or _possible_phone(match.raw_string):
            spans.append((match.start, match.end))
    # Spaced or dashed forms the matcher does not pick up ("0 7 7 0 0 9 0 0 1 2 3").
    for run in _DIGIT_RUN.finditer(text):
        if not any(s <= run.start() < e for s, e in spans) and _possible_phone(run.group()):
            spans.append((run.start(), run.end()))
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + PHONE + text[end:]
    return text


def _possessive(word: str) -> str:
    # "PC Smith's attitude" keeps its "'s": it is grammar, not part of the name.
    return word[-2:] if word[-2:] in ("'s", "\u2019s") else ""


def _replace_name(match: re.Match[str]) -> str:
    first, second = match.group("first"), match.group("second")
    if first.lower() in _NOT_NAMES:
        return match.group(0)
    kept = match.group("title") + match.group("gap") + NAME
    if second is not None and second.lower() in _NOT_NAMES:
        return kept + _possessive(first) + match.group("gap2") + second
    return kept + _possessive(second or first)


def _replace_collar_and_names(text: str) -> str:
    # Every collar number has a digit, and a lower-case name follows "mr", "mrs" or "cllr":
    # patterns that cannot match are not tried.
    if any(c.isdigit() for c in text):
        text = _COLLAR_CUED.sub(lambda m: m.group(1) + COLLAR, text)
        text = _COLLAR_RANKED.sub(lambda m: m.group(1) + COLLAR, text)
        text = _COLLAR_BARE.sub(COLLAR, text)
    text = _NAMED.sub(_replace_name, text)
    lowered = text.lower()
    if "mr" not in lowered and "cllr" not in lowered:
        return text
    return _NAMED_LOWER.sub(
        lambda m: (
            m.group(0)
            if m.group("first") in _NOT_NAMES
            else m.group("title") + NAME + _possessive(m.group("first"))
        ),
        text,
    )


def _replace_places(text: str) -> str:
    if any(c.isdigit() for c in text):
        text = _POSTCODE.sub(POSTCODE, text)
        text = _VEHICLE.sub(VEHICLE, text)
        text = _ADDRESS.sub(ADDRESS, text)
        text = _ADDRESS_LOWER.sub(_replace_lower_address, text)
    return text


def _replace_lower_address(match: re.Match[str]) -> str:
    if any(word in _NOT_STREET_WORDS for word in match.group("words").split()):
        return match.group(0)
    return ADDRESS


_PASSES: tuple[Callable[[str], str], ...] = (
    _replace_email,
    _replace_phone,
    _replace_places,
    _replace_collar_and_names,
)


def redact(text: str) -> str:
    """The text with every personal detail replaced by its tag; the rest kept as written."""
    for step in _PASSES:
        text = step(text)
    return text
