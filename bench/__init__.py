"""Benchmarks of csrextract against peer extractors; run with ``python -m bench.run``."""
