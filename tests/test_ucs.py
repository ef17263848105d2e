"""UCS list look-ups and UCS-style file name parsing."""

import pytest

from sfxgen.errors import ParameterError
from sfxgen.synth.patch import FAMILY_LIST
from sfxgen.ucs import UCS, load_ucs, parse_ucs_filename, ucs_filename


def test_shipped_list_has_every_family_catid():
    ucs = load_ucs()
    assert len(ucs) == 752
    assert len(ucs.category_names()) == 82
    for fam in FAMILY_LIST:
        assert fam.ucs in ucs, fam.name


def test_lookups_by_id_category_and_synonym():
    ucs = load_ucs()
    e = ucs.get("metlimpt")
    assert e.cat_id == "METLImpt" and e.category == "METAL" and e.subcategory == "IMPACT"
    assert "clang" in e.synonyms
    assert ucs.by_category("metal", "impact") == (e,)
    assert all(c.category == "DOORS" for c in ucs.by_category("Doors"))
    assert ucs.by_category("NOPE") == ()
    assert ucs.find("metal clang")[0].category == "METAL"
    assert ucs.find("zzzz qqq") == ()
    with pytest.raises(ParameterError, match="not a UCS CatID"):
        ucs["NOTACAT"]


def test_parse_full_name():
    p = parse_ucs_filename("METLImpt_Large Steel Door Slam_sfxgen_Starter_023.wav")
    assert (p.cat_id, p.category, p.subcategory) == ("METLImpt", "METAL", "IMPACT")
    assert (p.fx_name, p.creator, p.source, p.user_data) == ("Large Steel Door Slam", "sfxgen", "Starter", "023")


@pytest.mark.parametrize("name, cat, fx, creator, source", [
    ("metlimpt_Hit.WAV", "METLImpt", "Hit", None, None),              # case, upper-case extension
    ("/lib/a b/DOORWood_Slam Hard_JD.flac", "DOORWood", "Slam Hard", "JD", None),  # path, 3 parts
    ("C:\\sfx\\RAIN_Heavy rain_me_lib.aiff", "RAIN", "Heavy rain", "me", "lib"),   # windows path
    ("WIND_Gusty_ _ .wav", "WIND", "Gusty", None, None),              # blank parts
    ("DOORWood_Sci-Fi Door_ab", "DOORWood", "Sci-Fi Door", "ab", None),  # no extension, hyphen kept
])
def test_parse_robust(name, cat, fx, creator, source):
    p = parse_ucs_filename(name)
    assert p is not None
    assert (p.cat_id, p.fx_name, p.creator, p.source) == (cat, fx, creator, source)


def test_parse_user_and_vendor_category():
    p = parse_ucs_filename("METLImpt-Mine_BOOM-Big Hit_jd_lib_take 2_x.wav")
    assert p.user_category == "Mine" and p.vendor_category == "BOOM"
    assert p.fx_name == "Big Hit" and p.user_data == "take 2_x"


@pytest.mark.parametrize("name", [
    "", "   ", None, "rain.wav", "Foo_bar.wav", "footsteps_gravel_01.wav", "_METLImpt_x.wav", "METLImp_Hit.wav",
])
def test_parse_rejects_non_ucs(name):
    assert parse_ucs_filename(name) is None


def test_filename_round_trip_and_cleaning():
    name = ucs_filename("glasbrk", "Big_Window/Smash", creator="sfxgen", source="Starter", user_data="7")
    assert name == "GLASBrk_Big Window Smash_sfxgen_Starter_7.wav"
    p = parse_ucs_filename(name)
    assert (p.cat_id, p.fx_name, p.creator, p.source, p.user_data) == ("GLASBrk", "Big Window Smash", "sfxgen", "Starter", "7")
    with pytest.raises(ParameterError):
        ucs_filename("XXXX", "a")


def test_custom_list_and_bad_entry():
    ucs = UCS([{"CatID": "ABCDef", "Category": "abc", "SubCategory": "def", "Synonyms": ["Thing"]}])
    assert ucs.find("thing")[0].cat_id == "ABCDef"
    assert parse_ucs_filename("abcdef_X_y", ucs=ucs).category == "ABC"
    with pytest.raises(ParameterError, match="lacks a field"):
        UCS([{"Category": "x"}])
