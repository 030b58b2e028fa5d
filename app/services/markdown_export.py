"""The summary as Markdown, for pasting into newsletters, wikis and e-mails."""

import re
from zoneinfo import ZoneInfo

from app.schemas.opinion_groups import GroupingStatus, GroupShareOut, SummaryOpinionGroups
from app.schemas.summary import Summary
from app.services.plain_text import printable

LONDON = ZoneInfo("Europe/London")
# Backslash-escaped, these make no emphasis, code, link, image or table cell of anyone's words.
_MARKUP = re.compile(r"([\\`*_\[\]|~])")


def _text(value: object) -> str:
    """Words written by staff or residents, as plain text: their HTML is shown, never run, and
    their links (`[x](javascript:…)`, `<http://…>`) are text; only the product writes markup."""
    text = printable(str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKUP.sub(r"\\\1", text)


def _cell(text: object) -> str:
    return _text(text).replace("\n", " ")


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _quote(text: str) -> str:
    return "> " + _text(text).replace("\n", "\n> ")


LIST_HEADINGS = (
    ("agree", "Everyone agrees"),
    ("disagree", "Everyone disagrees"),
    ("divided", "Divided"),
    ("uncertain", "Uncertain (many passed)"),
)


def _by_group(shares: list[GroupShareOut]) -> str:
    return ", ".join(f"{_cell(s.group)} {round(s.agree * 100)}% agree" for s in shares)


def _opinion_groups(og: SummaryOpinionGroups) -> list[str]:
    out = ["## Opinion groups and common ground", ""]
    if og.status != GroupingStatus.READY:
        return [*out, og.message, ""]
    if len(og.groups) == 1:
        out += [f"The {og.included} people who voted on enough comments form one group.", ""]
    else:
        out += [f"{len(og.groups)} opinion groups among the {og.included} people who voted.", ""]
        for g in og.groups:
            out += [f"### Group {g.label} ({g.size} people)", ""]
            for r in g.representative:
                share = r.agree if r.direction == "agree" else r.disagree
                out += [f"- {round(share * 100)}% {r.direction}: {_cell(r.body)}"]
            out += [""]
    out += ["### Common ground", ""]
    for name, heading in LIST_HEADINGS:
        entries = getattr(og.lists, name)
        if entries:
            out += [f"#### {heading}", ""]
            out += [f"- {_cell(e.body)} ({_by_group(e.by_group)})" for e in entries]
            out += [""]
    return out


def to_markdown(summary: Summary) -> bytes:
    ev = summary.event
    when = ev.starts_at.astimezone(LONDON).strftime("%A %-d %B %Y, %H:%M")
    out = [f"# {_cell(ev.title)}", ""]
    where = "".join(f", {_cell(place)}" for place in (ev.venue, ev.area) if place)
    out += [f"*{when}{where}*", ""]
    if ev.programme_name:
        out += [f"Part of {_cell(ev.programme_name)}.", ""]
    if ev.intro:
        out += [_text(ev.intro), ""]
    out += [f"{summary.comment_count} comments and {summary.vote_count} votes.", ""]
    if summary.featured:
        out += ["## Featured quotes", ""]
        for c in summary.featured:
            out += [_quote(c.body), ""]
    a = summary.attendance
    out += ["## Who came", ""]
    out += [f"{a.community} from the community : {a.services} from services ({a.total} in all)."]
    if a.absent:
        out += [f"Expected but absent: {', '.join(_cell(x) for x in a.absent)}."]
    out += [""]
    out += _table(("Role", "Side", "People"), [(r.role, r.side, r.count) for r in a.roles])
    for q in summary.questions:
        title = f"Question {q.position + 1}: {_cell(q.text)}" if q.id else _cell(q.text)
        out += [f"## {title}", ""]
        if q.key_points:
            out += ["### The tables' key points", ""]
            out += [
                f"- {_cell(c.body)}" + (f" ({_cell(c.group)})" if c.group else "")
                for c in q.key_points
            ]
            out += [""]
        if q.starred:
            out += ["### Quotes", ""]
            for c in q.starred:
                out += [_quote(c.body), ""]
        if q.comments:
            out += ["### What residents said, most agreed first", ""]
            out += _table(
                ("Comment", "Agree", "Disagree", "Pass"),
                [(c.body, c.agree, c.disagree, c.passed) for c in q.comments],
            )
    out += _opinion_groups(summary.opinion_groups)
    if summary.panel:
        out += ["## Questions to the panel", ""]
        for p in summary.panel:
            answer = p.answer or "Not answered on the night."
            out += [f"- **{_cell(p.body)}** ({p.upvotes} upvotes): {_cell(answer)}"]
        out += [""]
    if summary.tags:
        out += ["## Themes", ""]
        out += _table(("Theme", "Comments"), [(t.tag, t.count) for t in summary.tags])
    if summary.equality:
        out += ["## Who answered the equality questions", ""]
        out += [summary.equality_note, ""]
        for cat in summary.equality:
            out += [f"### {_cell(cat.label)}", ""]
            out += _table(("Answer", "People"), list(cat.cells.items()))
    out += ["## Actions", ""]
    if summary.actions:
        out += _table(
            ("Action", "Owner", "Due", "Status"),
            [
                (
                    x.text,
                    x.owner,
                    (x.due_date.isoformat() if x.due_date else "")
                    + (" (overdue)" if x.overdue else ""),
                    x.status.replace("_", " "),
                )
                for x in summary.actions
            ],
        )
    else:
        out += ["No actions yet.", ""]
    return "\n".join(out).encode("utf-8")
