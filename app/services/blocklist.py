"""The blocklist: abusive words hold a comment for a moderator, even in post-moderated events.

The word list is better-profanity's (maintained upstream), matched here with a set lookup on
normalised words, because the package's own matcher takes tens of milliseconds per comment.
Words residents need to talk about policing, drugs, violence, sexuality or their own
communities are taken off the list: holding every comment about a rape report or a stop for
weed would silence the people the meeting is for. Organisers add words with BLOCKLIST_EXTRA.
"""

import re
from functools import lru_cache

from better_profanity.utils import get_complete_path_of_file, read_wordlist

from app.config import get_settings

# Words on the upstream list that a resident may use in good faith at a policing meeting.
ALLOWED = frozenset(
    """
    anal anus arian aryan crack crap damn drunk drunken fat gay gays hell kill killed killing
    lesbian lesbians niggle pot queer queers rape raped raper rapist sex sexual
    sexually stupid ugly weed weeds drug drugs hemp bum bums bloody god goddamn omg wtf breast
    breasts nude naked penis vagina balls pee pissed cocaine heroin homosexual junkie lust pms
    porn potty screw screwed screwing sperm strip stripper virgin willy womb prostitute hooker
    escort erotic kinky sadist
    """.split()  # noqa: SIM905
)
# Leetspeak and look-alike characters, so "sh1t" and "f@g" are caught.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_WORD = re.compile(r"[\w@$*]+")
# "fuuuuck" -> "fuck": runs of three or more of a letter are shortened to one.
_RUN = re.compile(r"(.)\1{2,}")


@lru_cache(maxsize=8)
def _words(extra: str) -> tuple[frozenset[str], tuple[str, ...]]:
    listed = {w.lower() for w in read_wordlist(get_complete_path_of_file("profanity_wordlist.txt"))}
    listed |= {w.strip().lower() for w in extra.split(",") if w.strip()}
    listed -= ALLOWED
    single = frozenset(w for w in listed if " " not in w)
    phrases = tuple(sorted(f" {w} " for w in listed if " " in w))
    return single, phrases


def _masked_hit(word: str, single: frozenset[str]) -> bool:
    # A word typed with asterisks ("f**k") matches any listed word of its shape.
    if "*" not in word or word.strip("*") == "":
        return False
    pattern = re.compile(re.escape(word).replace(r"\*", "[a-z]") + "$")
    return any(len(w) == len(word) and pattern.match(w) for w in single)


def is_abusive(text: str) -> bool:
    """Whether the text holds a blocklisted word or phrase."""
    single, phrases = _words(get_settings().blocklist_extra)
    words = _WORD.findall(text.lower().translate(_LEET))
    for word in words:
        bare = word.strip("*_")
        if bare in single or (bare.endswith("s") and bare[:-1] in single):
            return True
        if _masked_hit(word, single) or (_RUN.search(bare) and _RUN.sub(r"\1", bare) in single):
            return True
    joined = f" {' '.join(words)} "
    return any(phrase in joined for phrase in phrases)
