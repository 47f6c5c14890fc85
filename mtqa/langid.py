"""Language codes and detection (lingua ships its models inside the package)."""

from __future__ import annotations

from functools import lru_cache

from mtqa.errors import MtqaError


@lru_cache(maxsize=1)
def _iso_codes() -> dict[str, object]:
    from lingua import Language

    return {lang.iso_code_639_1.name.lower(): lang for lang in Language.all()}


@lru_cache(maxsize=1)
def _iso3_to_iso1() -> dict[str, str]:
    from lingua import Language

    return {lang.iso_code_639_3.name.lower(): lang.iso_code_639_1.name.lower() for lang in Language.all()}


def normalize_lang(code: str) -> str:
    """Validate a BCP-47 code and return it in canonical case: 'EN_us' -> 'en-US', 'zh-hant' -> 'zh-Hant';
    an ISO 639-3 code lingua knows becomes its two-letter form ('fra' -> 'fr')."""
    raw = code.strip().replace("_", "-")
    primary, sep, rest = raw.partition("-")
    primary = primary.lower()
    primary = _iso3_to_iso1().get(primary, primary) if len(primary) == 3 else primary
    subtags = rest.split("-") if sep else []
    if (primary not in _iso_codes() and primary not in _EXTRA_CODES) or not all(
        t.isascii() and t.isalnum() and 1 <= len(t) <= 8 for t in subtags
    ):
        raise MtqaError(f"unknown language code '{code}': use a BCP-47 code such as en, fr, de, zh, pt-BR")
    canon = []
    for t in subtags:
        if len(t) == 2 and t.isalpha() or len(t) == 3 and t.isdigit():
            canon.append(t.upper())  # region
        elif len(t) == 4 and t.isalpha():
            canon.append(t.title())  # script
        else:
            canon.append(t.lower())
    return "-".join([primary, *canon])


# languages lingua does not detect but our encoders and splitters handle
_EXTRA_CODES = {
    "ne", "si", "km", "ps", "my", "lo", "am", "ky", "mt", "ku", "sd", "ug", "gd", "fy", "gl", "jv", "kn",
    "ml", "or", "sa", "su", "te", "uz", "xh", "yi", "fil", "no", "hy", "ka", "kk", "mn", "tl",
}


@lru_cache(maxsize=1)
def _detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect(text: str, *, sample_chars: int = 4000) -> tuple[str, float]:
    """Detect the language of `text`: (ISO 639-1 code, confidence); 'und' if unknown."""
    sample = text[:sample_chars]
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return "und", 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def detect_segment(text: str) -> tuple[str, float]:
    """Language of a short segment, full-accuracy detector restricted to the top candidates."""
    return detect(text, sample_chars=1000)
