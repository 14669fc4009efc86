"""OCR engines by name: the one place that knows which engines exist.

Everything that offers or needs an engine reads this registry — the CLI's ``--ocr-engine``
choices, the flow's ``ocr_engine`` parameter, the configuration check run before any PDF, the
page OCR stage that builds the engine and the OCR cache key (``EngineSpec.version``). Adding an
engine is one module: ``csrextract/ocr/engine_<name>.py`` (found by its name) or, from another
package, a module named by a ``csrextract.ocr_engines`` entry point; it calls :func:`register`
with an :class:`EngineSpec`, and nothing else in the tree changes.

Importing this module loads no engine library: a spec's ``build`` and ``check`` import what
they need when called.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from csrextract.errors import ConfigurationError, OcrUnavailableError

if TYPE_CHECKING:
    from csrextract.ocr.engines import OcrEngine

DEFAULT_ENGINE = "rapidocr"

DEFAULT_DPI = 150.0
"""Render resolution: body text (≥ 7 pt) is ≥ 14 px tall, which the recogniser reads as well as
at 200 dpi (measured: bench/ocr.py), at half the pixels."""

RUNTIME_ENV = "CSREXTRACT_OCR_RUNTIME"
"""Overrides the default engine's runtime (``auto``, ``openvino`` or ``onnxruntime``)."""

ENGINE_MODULE_PREFIX = "engine"
"""Modules of this package whose name starts so (``engines``, ``engine_tesseract``) are
imported to let their engines register."""

ENTRY_POINT_GROUP = "csrextract.ocr_engines"
"""Entry points of installed packages naming a module that registers an engine."""


class UnknownEngineError(ConfigurationError):
    """No engine of that name is registered: an option error, not a missing installation."""


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How pages are OCRed: passed down from the ingest settings to every OCR call, so the
    engine, its runtime, the render resolution and the cache are chosen in one place.

    ``cache_dir``: the OCR cache folder (``None``: ``$CSREXTRACT_CACHE_DIR/ocr`` or
    ``~/.cache/csrextract/ocr``); ``use_cache=False`` disables it. ``threads``: inference
    threads of one engine (0: the runtime decides; worker pools use 1 per process).
    """

    engine: str = DEFAULT_ENGINE
    runtime: str = field(default_factory=lambda: os.environ.get(RUNTIME_ENV, "auto"))
    dpi: float = DEFAULT_DPI
    cache_dir: Path | None = None
    use_cache: bool = True
    threads: int = 0

    def __post_init__(self) -> None:
        if not self.engine:
            raise ConfigurationError("OCR engine name is empty")
        if not self.dpi > 0:
            raise ConfigurationError(f"OCR dpi must be positive, not {self.dpi!r}")
        if self.threads < 0:
            raise ConfigurationError(f"OCR threads must be ≥ 0, not {self.threads!r}")

    def single_threaded(self) -> OcrSettings:
        """These settings for one of several worker processes sharing the cores."""
        return replace(self, threads=1)


@dataclass(frozen=True, slots=True)
class EngineSpec:
    """What the rest of the tree needs to know about one engine.

    ``build`` makes the engine (cheaply if it can: heavy networks may load on first use);
    ``packages`` are the distributions it needs (checked before any page, named in the error);
    ``check`` raises ``OcrUnavailableError`` when something else is missing (model files),
    without loading networks; ``options`` names the ``OcrSettings`` fields it honours (help
    text). ``version`` — the engine's own version string (package, model files, knobs) — is the
    engine part of every OCR cache key.
    """

    name: str
    summary: str
    build: Callable[[OcrSettings], OcrEngine]
    packages: tuple[str, ...] = ()
    check: Callable[[OcrSettings], None] | None = None
    options: tuple[str, ...] = ()

    def check_available(self, settings: OcrSettings) -> None:
        """``OcrUnavailableError`` now if the engine could not run (no networks loaded)."""
        for package in self.packages:
            try:
                importlib.metadata.version(package)
            except importlib.metadata.PackageNotFoundError:
                raise OcrUnavailableError(
                    f"OCR engine {self.name!r} needs the package {package!r}: install it"
                ) from None
        if self.check is not None:
            self.check(settings)

    def version(self, settings: OcrSettings) -> str:
        """The cache key's engine part: the built engine's version for these settings."""
        return build_engine(replace(settings, engine=self.name)).version


_SPECS: dict[str, EngineSpec] = {}
_DISCOVERED = False


def register(spec: EngineSpec) -> EngineSpec:
    """Make ``spec`` available by its name (re-registering the same name replaces it, so a
    reloaded module does not fail)."""
    _SPECS[spec.name] = spec
    _built.cache_clear()
    return spec


def unregister(name: str) -> None:
    """Remove an engine (tests register throw-away engines)."""
    _SPECS.pop(name, None)
    _built.cache_clear()


def _discover() -> None:
    """Import this package's engine modules and the entry points' modules, once."""
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    import_engine_modules(__name__.rpartition(".")[0], Path(__file__).parent)
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        importlib.import_module(entry.value.partition(":")[0])


def import_engine_modules(package: str, folder: Path) -> list[str]:
    """Import every module of ``package`` (in ``folder``) whose name starts with
    ``ENGINE_MODULE_PREFIX``, so the engines they define register; returns their names."""
    names = sorted(
        module.name
        for module in pkgutil.iter_modules([str(folder)])
        if module.name.startswith(ENGINE_MODULE_PREFIX)
    )
    for name in names:
        importlib.import_module(f"{package}.{name}")
    return names


def engine_names() -> tuple[str, ...]:
    """Registered engines, the default first (CLI choices, flow parameter values)."""
    _discover()
    return tuple(sorted(_SPECS, key=lambda name: (name != DEFAULT_ENGINE, name)))


def engine_spec(name: str) -> EngineSpec:
    """The spec of engine ``name``; ``UnknownEngineError`` naming the known engines."""
    _discover()
    try:
        return _SPECS[name]
    except KeyError:
        known = ", ".join(engine_names())
        raise UnknownEngineError(f"unknown OCR engine {name!r}; choose one of: {known}") from None


def check_available(settings: OcrSettings | str) -> None:
    """Before any page work: the engine is registered (``UnknownEngineError``) and installed
    (``OcrUnavailableError``)."""
    settings = OcrSettings(engine=settings) if isinstance(settings, str) else settings
    engine_spec(settings.engine).check_available(settings)


def build_engine(settings: OcrSettings | str) -> OcrEngine:
    """The process-wide engine for these settings (built on first use, then reused: building
    may open ONNX sessions)."""
    settings = OcrSettings(engine=settings) if isinstance(settings, str) else settings
    return _built(settings.engine, settings.runtime, settings.threads)


@cache
def _built(name: str, runtime: str, threads: int) -> OcrEngine:
    spec = engine_spec(name)
    try:
        return spec.build(OcrSettings(engine=name, runtime=runtime, threads=threads))
    except ImportError as exc:
        raise OcrUnavailableError(f"OCR engine {name!r} cannot be imported ({exc})") from exc


def engine_version(settings: OcrSettings | str) -> str:
    """The engine part of the OCR cache key for these settings."""
    settings = OcrSettings(engine=settings) if isinstance(settings, str) else settings
    return engine_spec(settings.engine).version(settings)
