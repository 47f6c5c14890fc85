"""Helpers shared by the check families: segments and their spans, names, places, word forms and
word-level evidence. Imported by the families only; the kit imports no family."""
