"""Which language a prompt or query is written in, so that text the English-only text model
cannot read is refused with a clear message instead of being silently misread ("porte en bois
qui grince" once came back as a crowd murmur).

The guess compares word frequencies (the ``wordfreq`` package, whose frequency lists ship inside
it) of the text's words in English and in the other languages designers commonly type: a short
sound-effects prompt ("metal clang", "door", "whoosh") is too short for character n-gram
detectors, but its words are common English words. English is checked first, and the other
lists are only read when the English reading is weak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sfxgen.errors import ParameterError

#: Languages compared with English (ISO 639-1) and their names in messages.
OTHER_LANGUAGES: dict[str, str] = {
    "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
}
#: Mean Zipf frequency of the words in English above which a text is English without further
#: checks (Zipf 3 = once per million words; everyday words score 4-6).
CLEARLY_ENGLISH_ZIPF = 3.5
#: How much better (mean Zipf) another language must read the text to call it that language.
MARGIN_ZIPF = 1.5
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    """``language``: ISO code ("en" or one of :data:`OTHER_LANGUAGES`); ``english_zipf`` and
    ``best_zipf``: mean word frequency of the text read as English and as ``language``."""

    language: str
    english_zipf: float
    best_zipf: float

    @property
    def is_english(self) -> bool:
        return self.language == "en"

    @property
    def name(self) -> str:
        return "English" if self.is_english else OTHER_LANGUAGES[self.language]


def _mean_zipf(words: list[str], lang: str) -> float:
    from wordfreq import zipf_frequency

    return sum(zipf_frequency(w, lang) for w in words) / len(words)


def guess_language(text: str) -> LanguageGuess:
    """The language ``text`` reads best as (English unless another reads clearly better)."""
    words = _WORD.findall(str(text).lower())
    if not words:
        return LanguageGuess("en", 0.0, 0.0)
    en = _mean_zipf(words, "en")
    if en >= CLEARLY_ENGLISH_ZIPF and all(_mean_zipf([w], "en") > 0 for w in words):
        return LanguageGuess("en", en, en)
    scores = {lang: _mean_zipf(words, lang) for lang in OTHER_LANGUAGES}
    best = max(scores, key=scores.get)
    if scores[best] - en >= MARGIN_ZIPF and en < CLEARLY_ENGLISH_ZIPF:
        return LanguageGuess(best, en, scores[best])
    return LanguageGuess("en", en, en)


def check_english(text: str, *, what: str = "prompt") -> None:
    """Raise :class:`ParameterError` when ``text`` reads as another language than English,
    naming the language and saying what to do; return silently otherwise."""
    guess = guess_language(text)
    if not guess.is_english:
        raise ParameterError(
            f"the {what} {text!r} looks {guess.name}; sfxgen's text model understands English only, "
            f"so it would misread it. Please describe the sound in English (e.g. 'creaking wooden door')."
        )
