"""Hard time limits for page work: see ``csrextract.isolation`` (shared with the CLI)."""

from csrextract.isolation import (
    PageTimeoutError,
    can_start_processes,
    run_with_hard_timeout,
    shutdown_pool,
)

__all__ = ["PageTimeoutError", "can_start_processes", "run_with_hard_timeout", "shutdown_pool"]
