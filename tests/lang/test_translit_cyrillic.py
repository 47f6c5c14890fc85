"""Latin names against their Cyrillic renderings, declined, both ways (mtqa.lang.translit)."""

from __future__ import annotations

import pytest

from mtqa.lang.translit import renders


@pytest.mark.parametrize(("name", "text", "lang", "rendered"), [
    ("Poole", "планирует посетить штаб-квартиру SBS в Пуле, Дорсет", "ru", True),  # prepositional case
    ("Sale", "Один механик в Сэйле, Большой Манчестер, сказал", "ru", True),
    ("Werribee", "Мужчина найден близ Уэрриби", "ru", True),
    ("Leicester", "United отставал на 14 очков от Лестера", "ru", True),
    ("Merkel", "Меркель сказала", "ru", True),
    ("Rodgers", "представляют стандарт Роджерсом и Хартом", "ru", True),  # instrumental: -ом set aside
    ("Пуле", "the SBS's headquarters in Poole, Dorset", "en", True),  # the Cyrillic name in a Latin text
    # another name, or a common word of the same consonants, renders nothing
    ("Leicester", "United отставал на 14 очков от Манчестера", "ru", False),
    ("Poole", "в Портсмуте", "ru", False),
    ("Sale", "Это сила.", "ru", False),  # lower case: no name
    ("Merkel", "Шольц сказал", "ru", False),
    ("Манчестер", "One mechanic in Sale said", "en", False),
])  # fmt: skip
def test_cyrillic_renderings_of_latin_names(name: str, text: str, lang: str, rendered: bool) -> None:
    assert renders(name, text, lang) is rendered
