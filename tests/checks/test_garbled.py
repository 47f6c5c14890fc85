"""The garbled family: broken-off sentences, model artefacts, repeated phrases."""

from __future__ import annotations

import pytest

from tests.fakes import assert_pass_fail, check_spans

# issue 14's pass / fail pairs of this family: (check, source language, source, translation, expected):
# expected None = no issue of that check; else (severity, text of the target span, text of the
# source span or None)
CASES = [
    # --- garbled ------------------------------------------------------------------------------------------
    (
        "garbled",
        "pt",
        "Com um capital inicial de apenas 100 mil milhões de dólares, é demasiado pequeno.",
        "With initial capital of just $<extra_id_0> billion, it is too small.",
        ("major", "<extra_id_0>", None),
    ),
    (
        "garbled",
        "pt",
        "Não há dúvidas de que a China atravessa uma fase difícil.",
        "There is now little doubt that there is now little doubt that China is going through a hard phase.",
        ("major", "there is now little", None),
    ),
    (
        "garbled",
        "pt",
        "Não há dúvidas de que a China atravessa uma fase difícil.",
        "There is no doubt that China is going through a difficult phase.",
        None,
    ),
]


@pytest.mark.parametrize(("check", "lang", "src", "tgt", "expected"), CASES)
def test_pass_fail_pair(check, lang, src, tgt, expected):
    assert_pass_fail(check, lang, src, tgt, expected)


# a phrase said twice where the source says its own words twice too is a rendering, not a stutter
# (en-de and zh-en MQM news, issue 29); the same repetition with a source that says it once is one
@pytest.mark.parametrize(
    ("sl", "tl", "src", "tgt", "stutter"),
    [
        ("en", "de",
         "They will never have the same degree of attention, the same level of resources, he said.",
         "Sie werden nie das gleiche Maß an Aufmerksamkeit, das gleiche Maß an Ressourcen haben, sagte er.",
         None),
        ("en", "de", "They will never have the attention or the resources, he said.",
         "Sie werden nie das gleiche Maß an Aufmerksamkeit, das gleiche Maß an Ressourcen haben, sagte er.",
         "das gleiche Maß an"),
        ("en", "de", "It is still active and it is still deadly.",
         "Es ist immer noch aktiv und es ist immer noch tödlich.", None),
        ("zh", "en", "国际出发走上层，国内出发两层均可。",
         "The upper level for international departures and the upper level for domestic departures.", None),
        ("zh", "en", "台湾学者建言：“不确定年代”台商需跟紧大陆发展主流产业",
         "Taiwan scholars suggest: Uncertainty Taiwanese businessmen Taiwan scholars suggest: Uncertainty "
         "Taiwanese businessmen must keep up with the mainland.",
         "Taiwan scholars suggest: Uncertainty"),
    ],
)
def test_a_repetition_the_source_makes_too_is_no_stutter(sl, tl, src, tgt, stutter):
    found = [t for i, t, _ in check_spans("garbled", src, tgt, sl, tl) if "said twice" in i.message]
    assert found == ([stutter] if stutter else []), found
