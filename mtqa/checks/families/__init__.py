"""The check families, one module per family, each registering its checks with `@check`; found by
`registry.load_checks`, never imported by name. A family imports the kit, never another family."""
