"""Control characters: refused in what staff write, and kept out of what the exports emit.

Tab, line feed and carriage return are text; the other C0 and C1 controls, lone surrogates
and the two non-characters are not, and XML (XLSX, Atom) cannot hold most of them at all.
"""

import re
from collections.abc import Mapping

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def field_with_control_characters(value: object, path: str = "") -> str | None:
    """The dotted name of the first text in `value` holding a control character, if any."""
    if isinstance(value, str):
        return (path or "body") if CONTROL_CHARACTERS.search(value) else None
    if isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return None
    for key, item in items:
        if found := field_with_control_characters(item, f"{path}.{key}" if path else key):
            return found
    return None


def printable(text: str) -> str:
    """The text without control characters (stored before they were refused)."""
    return CONTROL_CHARACTERS.sub("", text)
