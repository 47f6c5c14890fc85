"""Language knowledge: codes and scripts, word lists, entities, numerals and quantities, dates, places,
negation cues, word segmentation, language identification. May be imported by every floor above `document`."""
