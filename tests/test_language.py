import pytest

from sfxgen.embed.language import check_english, guess_language
from sfxgen.errors import ParameterError

ENGLISH = ["door", "metal clang", "whoosh", "sci-fi laser zap", "big boom", "ui click", "pew pew", "kaboom",
           "footsteps on gravel, slow walk", "a bio-luminescent creature chittering", "sfx amb forest",
           "rusty spaceship door opening in a vast echoing cavern", "cat purring on a night train", "dog barking twice"]
OTHER = [("porte en bois qui grince", "fr"), ("chien qui aboie", "fr"), ("Holztür knarrt", "de"),
         ("explosión lejana", "es"), ("puerta que chirría", "es"), ("pasos en la nieve", "es")]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_prompts_pass(text):
    assert guess_language(text).is_english
    check_english(text)


@pytest.mark.parametrize("text,lang", OTHER)
def test_other_languages_are_named(text, lang):
    assert guess_language(text).language == lang
    with pytest.raises(ParameterError, match=guess_language(text).name):
        check_english(text, what="query")


def test_empty_and_numbers_are_not_refused():
    assert guess_language("").is_english and guess_language("123 456").is_english
