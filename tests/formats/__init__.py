"""Tests of mtqa.formats: the format-aware readers, their offsets into the original file, XLIFF / ITS."""
