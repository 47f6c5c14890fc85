"""The test suite; its folders mirror the mtqa package (checks/, lang/, ...), end-to-end tests stay here."""
