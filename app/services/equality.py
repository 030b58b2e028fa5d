"""Optional equality monitoring: anonymous answers with no link to any comment or vote.

Categories are the ONS 2021 census ethnic groups in full (there is no single "Black" box),
age bands and London boroughs. Breakdowns are only ever shown through `small_counts`.
"""

from sqlmodel import Session, select

from app.models import EqualityAnswer, Event
from app.models.base import id_of
from app.services.errors import Conflict, DomainError
from app.services.resident import ensure_open
from app.services.small_counts import suppress_breakdown

PREFER_NOT = "Prefer not to say"

ETHNIC_GROUPS: dict[str, tuple[str, ...]] = {
    "Asian, Asian British or Asian Welsh": (
        "Bangladeshi",
        "Chinese",
        "Indian",
        "Pakistani",
        "Other Asian",
    ),
    "Black, Black British, Black Welsh, Caribbean or African": (
        "African",
        "Caribbean",
        "Other Black",
    ),
    "Mixed or Multiple ethnic groups": (
        "White and Asian",
        "White and Black African",
        "White and Black Caribbean",
        "Other Mixed or Multiple ethnic groups",
    ),
    "White": (
        "English, Welsh, Scottish, Northern Irish or British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Roma",
        "Other White",
    ),
    "Other ethnic group": ("Arab", "Any other ethnic group"),
}
ETHNIC_CHOICES: tuple[str, ...] = (
    *(f"{heading}: {group}" for heading, groups in ETHNIC_GROUPS.items() for group in groups),
    PREFER_NOT,
)
AGE_BANDS: tuple[str, ...] = (
    "Under 16",
    "16-24",
    "25-34",
    "35-44",
    "45-54",
    "55-64",
    "65-74",
    "75 or over",
    PREFER_NOT,
)
BOROUGHS: tuple[str, ...] = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden",
    "City of London", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
    "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster", "Outside London",
    PREFER_NOT,
)  # fmt: skip
CHOICES: dict[str, tuple[str, ...]] = {
    "ethnic_group": ETHNIC_CHOICES,
    "age_band": AGE_BANDS,
    "borough": BOROUGHS,
}


def submit_answer(
    session: Session,
    *,
    event: Event,
    ethnic_group: str | None = None,
    age_band: str | None = None,
    borough: str | None = None,
) -> EqualityAnswer:
    """Store one anonymous set of answers; every question is optional, but not all of them."""
    ensure_open(event)
    if not event.equality_monitoring:
        raise Conflict("This meeting does not ask equality questions", field="code")
    given = {"ethnic_group": ethnic_group, "age_band": age_band, "borough": borough}
    for name, value in given.items():
        if value is not None and value not in CHOICES[name]:
            raise DomainError(f"Choose one of the listed answers for {name}", field=name)
    if all(value is None for value in given.values()):
        raise DomainError("Answer at least one question", field="ethnic_group")
    answer = EqualityAnswer(
        event_id=id_of(event), ethnic_group=ethnic_group, age_band=age_band, borough=borough
    )
    session.add(answer)
    session.flush()
    return answer


def answers(session: Session, *, event_id: int) -> list[EqualityAnswer]:
    return list(session.exec(select(EqualityAnswer).where(EqualityAnswer.event_id == event_id)))


NOT_ANSWERED = "Not answered"


def breakdowns(session: Session, *, event_id: int) -> tuple[int, dict[str, dict[str, str]]]:
    """How many answered, and each question's breakdown made safe by `small_counts`."""
    rows = answers(session, event_id=event_id)
    shown: dict[str, dict[str, str]] = {}
    for name, choices in CHOICES.items():
        counts = dict.fromkeys((*choices, NOT_ANSWERED), 0)
        for row in rows:
            counts[getattr(row, name) or NOT_ANSWERED] += 1
        shown[name] = suppress_breakdown(counts)
    return len(rows), shown
