"""Training the embedded QE model (e5-qe), split by stage: `data` (MLQE-PE, WMT MQM, synthetic damage),
`cache` (the lower layers' on-disk cache), `common`, `da` (stage 1), `mqm` (stage 2), `thresholds`, `export`,
`cli` (`python -m tools.qe STAGE ...`). Imports mtqa; nothing in mtqa imports it."""
