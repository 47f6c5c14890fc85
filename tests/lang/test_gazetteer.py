"""Place names (mtqa.lang.gazetteer): short and declined country names, Chinese places and abbreviations."""

from __future__ import annotations

from mtqa.lang import gazetteer


def test_gazetteer_short_declined_and_cjk_names():
    assert gazetteer.lookup("США", "ru") == {"c:US"}  # not the Virgin Islands "(США)" of CLDR
    assert gazetteer.lookup("Соединенного Королевства", "ru") == {"c:GB"}
    assert gazetteer.lookup("Holanda", "pt") == gazetteer.lookup("Holanda", "es") == {"c:NL"}
    assert gazetteer.lookup("Проводится", "ru") == set()
    assert [k for k, _, _ in gazetteer.find_cjk_places("广大发展中国家", "zh")] == []
    assert [k for k, _, _ in gazetteer.find_cjk_places("中国家庭", "zh")] == [{"c:CN"}]
    assert gazetteer.cjk_abbreviated("亚欧经济联盟，中方") == {"k:AS", "k:EU", "c:CN"}


def test_place_inside_a_name_and_its_german_name():
    from mtqa.checks.kit.places import place_renamed

    assert place_renamed("milan", "en", "mailand", "de") is True  # Inter Milan / Inter Mailand
    assert place_renamed("munich", "en", "munchen", "de") is True
    assert place_renamed("munich", "en", "berlin", "de") is False  # Bayern Munich / Bayern Berlin
    assert place_renamed("foster", "en", "forster", "de") is None  # no place: a spelling to compare


def test_nationality_words_name_their_country():
    assert gazetteer.demonym_places("Norwegian", "en") == {"c:NO"}
    assert gazetteer.demonym_places("Iraqi", "en") == {"c:IQ"}
    assert {"c:KR", "c:KP"} <= gazetteer.demonym_places("Koreans", "en")  # North and South Korea
    assert gazetteer.demonym_places("European", "en") == {"k:EU"}
    assert "c:US" in gazetteer.demonym_places("American", "en")
    # no nationality: another word that starts like a country, a lower-case word, a country's own name
    for word in ("Roman", "Republican", "Chairman", "Saharan", "Indiana", "norwegian", "Oman", "Norway"):
        assert gazetteer.demonym_places(word, "en") == set(), word
    assert gazetteer.demonym_places("Norwegian", "de") == set()  # no endings for German
    assert gazetteer.continent_of("c:NG") == "k:AF" and gazetteer.continent_of("c:XX") is None
