"""The one way to read a staff form, check it, refuse it and show it again with its errors.

    form = await read_form(request)
    title = form.text("title", required="Enter a title")
    starts = form.moment("starts_at")
    if form.ok:
        with form.attempt(session, "title"):  # a service's refusal lands in form.errors
            event = events.create_event(session, title=title, starts_at=starts)
    if not form.ok:
        context = {"raw": form.raw, "errors": form.errors}
        return render(request, "pages/events/form.html", context, status_code=form.status_code)
    return RedirectResponse(f"/events/{event.id}", status_code=303)

Nothing is half-written: `attempt` runs the service in a savepoint that a refusal rolls back,
so the page is shown again from what is stored, and no router commits or rolls back (the
session dependency commits the request, or rolls it all back on any other error).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fastapi import Request
from sqlmodel import Session

from app.services.errors import DomainError
from app.templating import LONDON


@dataclass
class FilledForm:
    """A form as sent (`raw`, to show again), its parsed `values`, and `errors` by field."""

    raw: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    status_code: int = 422  # what the page is shown again with: a refusal's own status
    refusal: DomainError | None = None  # the service's, for an answer other than the page

    @property
    def ok(self) -> bool:
        return not self.errors

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

    def moment(self, name: str, *, example: str = "2027-09-15 16:00") -> datetime | None:
        """A date and time as typed, in UK time (the meetings' own)."""
        try:
            value = datetime.fromisoformat(self.raw.get(name, "").strip()).replace(tzinfo=LONDON)
        except ValueError:
            self.errors[name] = f"Enter a date and time, for example {example}"
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

    def refuse(
        self, exc: DomainError, default: str, rename: Callable[[str | None], str | None] = str
    ) -> None:
        """A service's refusal, shown at the field it names (or at `default`)."""
        name = rename(exc.field) if exc.field else None
        self.errors[(name or default).split(".")[0]] = exc.message
        self.status_code, self.refusal = exc.status_code, exc

    @contextmanager
    def attempt(
        self,
        session: Session,
        default: str,
        rename: Callable[[str | None], str | None] = str,
    ) -> Iterator[None]:
        """Run a service's writes in a savepoint: a refusal undoes them and lands in `errors`."""
        savepoint = session.begin_nested()
        try:
            yield
        except DomainError as exc:
            savepoint.rollback()
            self.refuse(exc, default, rename)
        else:
            savepoint.commit()


async def read_form(request: Request) -> FilledForm:
    data = await request.form()
    raw = {k: str(v) for k, v in data.items() if isinstance(v, str)}
    lists = {k: [str(v) for v in data.getlist(k)] for k in data}
    return FilledForm(raw=raw, lists=lists)
