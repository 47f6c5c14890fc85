"""DOCX (python-docx): body paragraphs and table cells, in document order, one paragraph each.

A .docx is a zip of XML, so offsets cannot point into the file itself: they point into the extracted
text (paragraphs joined by blank lines), which the report treats as the document's text."""

from __future__ import annotations

from pathlib import Path

from mtqa.errors import MtqaError
from mtqa.formats import Extracted


def _blocks(doc) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    out: list[str] = []

    def walk(container) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, DocxParagraph):
                out.append(item.text)
            elif isinstance(item, Table):
                seen = set()
                for row in item.rows:
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)

    walk(doc)
    return out


def read_docx(path: str, *, max_chars: int) -> Extracted:
    from mtqa.document import split_paragraphs

    if path == "-":
        raise MtqaError("a DOCX document cannot be read from standard input; give its path")
    p = Path(path)
    if not p.is_file():
        raise MtqaError(f"{path}: no such file")
    try:
        import docx
    except ImportError:
        raise MtqaError("reading .docx needs python-docx: pip install python-docx") from None
    try:
        document = docx.Document(str(p))
    except Exception as exc:  # noqa: BLE001 - zip / XML errors of a damaged file
        raise MtqaError(f"{path}: not a readable DOCX file ({type(exc).__name__}: {exc})") from None
    blocks = [" ".join(b.split()) for b in _blocks(document)]
    text = "\n\n".join(b for b in blocks if b)
    if not text.strip():
        raise MtqaError(f"{path}: the document has no text")
    if len(text) > max_chars:
        raise MtqaError(f"{path}: {len(text):,} characters exceeds --max-chars {max_chars:,}")
    return Extracted(text, split_paragraphs(text), text, None, "docx")
