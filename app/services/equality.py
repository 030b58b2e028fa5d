"""Optional equality-monitoring answers, stored with no link to any comment, vote or voter."""

from sqlmodel import Session

from app.models import EqualityAnswer, Event
from app.services.errors import Conflict, DomainError

# The ONS 2021 Census ethnic groups for England and Wales.
ETHNIC_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Asian, Asian British or Asian Welsh",
        ("Bangladeshi", "Chinese", "Indian", "Pakistani", "Any other Asian background"),
    ),
    (
        "Black, Black British, Black Welsh, Caribbean or African",
        ("African", "Caribbean", "Any other Black, Black British, or Caribbean background"),
    ),
    (
        "Mixed or Multiple ethnic groups",
        (
            "White and Asian",
            "White and Black African",
            "White and Black Caribbean",
            "Any other Mixed or Multiple ethnic background",
        ),
    ),
    (
        "White",
        (
            "English, Welsh, Scottish, Northern Irish or British",
            "Irish",
            "Gypsy or Irish Traveller",
            "Roma",
            "Any other White background",
        ),
    ),
    ("Other ethnic group", ("Arab", "Any other ethnic group")),
)
AGE_BANDS = ("Under 18", "18 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 or over")
PREFER_NOT = "Prefer not to say"


def ethnic_group_names() -> list[str]:
    return [f"{top}: {sub}" for top, subs in ETHNIC_GROUPS for sub in subs]


def record_answer(
    session: Session, *, event: Event, ethnic_group: str, age_band: str, borough: str
) -> EqualityAnswer | None:
    """Store one set of answers; every question may be skipped. None when all were skipped."""
    if event.status != "open" or not event.equality_monitoring:
        raise Conflict("This meeting is not collecting these answers", field="ethnic_group")
    ethnic = ethnic_group.strip() or None
    if ethnic is not None and ethnic != PREFER_NOT and ethnic not in ethnic_group_names():
        raise DomainError("Choose an ethnic group from the list", field="ethnic_group")
    age = age_band.strip() or None
    if age is not None and age != PREFER_NOT and age not in AGE_BANDS:
        raise DomainError("Choose an age band from the list", field="age_band")
    area = " ".join(borough.split()) or None
    if area is not None and len(area) > 60:
        raise DomainError("Keep the borough to 60 characters", field="borough")
    if ethnic is None and age is None and area is None:
        return None
    assert event.id is not None
    answer = EqualityAnswer(event_id=event.id, ethnic_group=ethnic, age_band=age, borough=area)
    session.add(answer)
    session.flush()
    return answer
