"""Redaction before storage: each kind of personal detail becomes its tag, the rest is kept."""

import pytest

from app.services.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jo.bloggs+met@gmail.com", "write to [email]"),
        ("jsmith at hotmail dot co dot uk", "[email]"),
        ("ring 07700 900123 or 07700-900-456", "ring [phone] or [phone]"),
        ("0 7 7 0 0 9 0 0 1 2 3", "[phone]"),
        ("+44 (0)20 7946 0958 and +1 415 555 2671", "[phone] and [phone]"),
        ("I live in SW11 2PH", "I live in [postcode]"),
        ("Flat 4, 23 Falcon Road", "[address]"),
        ("the car was AB12 CDE", "the car was [vehicle]"),
        ("shoulder number 3389CW", "shoulder number [collar number]"),
        ("PS 712KN and 4521WA", "PS [collar number] and [collar number]"),
        ("PC Smith and Insp. O'Brien-Hughes", "PC [name] and Insp. [name]"),
        ("Cllr Mary Smith never came", "Cllr [name] never came"),
        ("mr jones was there", "mr [name] was there"),
    ],
)
def test_each_kind_is_tagged(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2019 about 300 people came, aged 16 to 70, at 6.30pm on 14/01/2027.",
        "Stop and search under Section 60 in Battersea and Clapham Junction.",
        "The Inspector. The meeting went on until 21:30.",
        "I was stopped 3 times in 2 weeks; it cost me £5,000.",
        "Black Lives Matter and the London Race Action Plan",
    ],
)
def test_ordinary_text_is_kept_as_written(text: str) -> None:
    assert redact(text) == text
