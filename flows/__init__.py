"""Prefect flows that schedule and run csrextract ingestion."""
