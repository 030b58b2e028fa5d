"""Reading the mentoring pages' forms: raw values to re-render, parsed values, errors by field."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fastapi import Request

from app.services.mentoring.people import Person
from app.templating import LONDON


@dataclass
class Form:
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)

    def text(self, name: str, *, required: str = "", limit: int = 200) -> str:
        value = self.raw.get(name, "").strip()
        if required and not value:
            self.errors[name] = required
        elif len(value) > limit:
            self.errors[name] = f"Use {limit} characters or fewer"
        self.values[name] = value
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        text = self.raw.get(name, "").strip()
        value = None
        if text:
            try:
                value = date.fromisoformat(text)
            except ValueError:
                self.errors[name] = "Enter a date, for example 2027-09-01"
        elif required:
            self.errors[name] = "Enter a date"
        self.values[name] = value
        return value

    def moment(self, name: str) -> datetime | None:
        try:
            value = datetime.fromisoformat(self.raw.get(name, "").strip()).replace(tzinfo=LONDON)
        except ValueError:
            self.errors[name] = "Enter a date and time, for example 2027-09-15 16:00"
            return None
        self.values[name] = value
        return value

    def number(self, name: str, *, low: int, high: int, message: str) -> int | None:
        text = self.raw.get(name, "").strip()
        if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
            self.errors[name] = message
            return None
        self.values[name] = int(text)
        return int(text)

    def person(self) -> Person | None:
        """The fields a participant and an expression of interest share."""
        name = self.text("name", required="Enter a name")
        email = self.text("email", required="Enter an e-mail address", limit=254)
        org = self.raw.get("organisation", "")
        if not org.isdigit():
            self.errors["organisation"] = "Choose an organisation"
        role = self.raw.get("scheme_role", "either")
        seniority = self.number(
            "seniority", low=1, high=5, message="Choose a seniority from 1 to 5"
        )
        if self.errors:
            return None
        return Person(
            name=name,
            email=email,
            organisation_id=int(org),
            job_title=self.text("job_title"),
            scheme_role=role,
            seniority=seniority or 3,
        )


async def read(request: Request) -> Form:
    data = await request.form()
    raw = {k: str(v) for k, v in data.items() if isinstance(v, str)}
    lists = {k: [str(v) for v in data.getlist(k)] for k in data}
    return Form(raw=raw, lists=lists)


def error_field(exc_field: str | None, default: str) -> str:
    return (exc_field or default).split(".")[0]
