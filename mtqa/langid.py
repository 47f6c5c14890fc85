"""Language codes and detection (lingua ships its models inside the package)."""

from __future__ import annotations

from functools import lru_cache

from mtqa.errors import MtqaError


@lru_cache(maxsize=1)
def _iso_codes() -> dict[str, object]:
    from lingua import Language

    return {lang.iso_code_639_1.name.lower(): lang for lang in Language.all()}


def normalize_lang(code: str) -> str:
    """Validate a BCP-47 code and return it with a lowercase primary subtag ('pt-BR' stays 'pt-BR')."""
    raw = code.strip().replace("_", "-")
    primary, _, rest = raw.partition("-")
    primary = primary.lower()
    if primary not in _iso_codes() and primary not in _EXTRA_CODES:
        raise MtqaError(f"unknown language code '{code}': use a BCP-47 code such as en, fr, de, zh, pt-BR")
    return primary + ("-" + rest if rest else "")


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
