"""``python -m csrextract``: the same as the ``csrextract`` command.

The ``__name__`` guard matters: OCR worker processes are spawned, and each re-imports the main
module; without the guard every worker would start an ingestion of its own.
"""

from csrextract.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
