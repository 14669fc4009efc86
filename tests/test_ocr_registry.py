"""The OCR engine registry: one place lists the engines; the CLI choices, the flow parameter,
the configuration check and the cache key all read it; adding an engine is one module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from csrextract.cli import build_parser, main
from csrextract.errors import OcrUnavailableError
from csrextract.ocr import registry
from csrextract.ocr.engines import OcrBox
from csrextract.ocr.registry import EngineSpec, OcrSettings, UnknownEngineError


class NullEngine:
    name = "null"
    version = "null-1"

    def recognise(self, image: object) -> list[OcrBox]:
        return []


@pytest.fixture
def null_engine() -> Iterator[EngineSpec]:
    spec = registry.register(EngineSpec("null", "reads nothing", lambda _: NullEngine()))
    yield spec
    registry.unregister("null")


def test_builtin_engines_register_themselves_default_first() -> None:
    names = registry.engine_names()
    assert names[0] == registry.DEFAULT_ENGINE == "rapidocr"
    assert "paddleocr" in names


def test_an_engine_module_is_found_by_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discovery imports every ``engine*`` module of a package: a new engine is one file."""
    package = tmp_path / "zz_engines"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "engine_zz.py").write_text(
        "from csrextract.ocr.registry import EngineSpec, register\n"
        "register(EngineSpec('zz-test', 'test', lambda settings: None))\n",
        encoding="utf-8",
    )
    (package / "helpers.py").write_text("raise RuntimeError('not an engine module')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert registry.import_engine_modules("zz_engines", package) == ["engine_zz"]
        assert "zz-test" in registry.engine_names()
    finally:
        registry.unregister("zz-test")
        for name in ("zz_engines.engine_zz", "zz_engines"):
            sys.modules.pop(name, None)


def test_unknown_engine_names_the_known_ones() -> None:
    with pytest.raises(
        UnknownEngineError, match="unknown OCR engine 'tess'; choose one of: rapidocr"
    ):
        registry.engine_spec("tess")


def test_missing_package_is_named(null_engine: EngineSpec) -> None:
    spec = registry.register(
        EngineSpec("needy", "needs a package", lambda _: NullEngine(), packages=("no-such-dist",))
    )
    try:
        with pytest.raises(OcrUnavailableError, match="needs the package 'no-such-dist'"):
            registry.check_available("needy")
        assert spec.packages == ("no-such-dist",)
    finally:
        registry.unregister("needy")


def test_engine_version_is_the_cache_key_part(null_engine: EngineSpec) -> None:
    assert registry.engine_version("null") == "null-1"
    assert registry.build_engine(OcrSettings(engine="null")) is registry.build_engine("null")


def test_cli_choices_come_from_the_registry(null_engine: EngineSpec) -> None:
    args = build_parser().parse_args(["ingest", "a.pdf", "--ocr-engine", "null"])
    assert args.ocr_engine == "null"


def test_cli_unknown_engine_exits_2_with_one_clear_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "a.pdf", "--ocr-engine", "tesseract"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        "csrextract ingest: error: argument --ocr-engine: invalid choice: 'tesseract' "
        "(choose from " + ", ".join(repr(n) for n in registry.engine_names()) + ")"
    )


def test_cli_engine_that_is_not_installed_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing(settings: OcrSettings) -> None:
        raise OcrUnavailableError("weights not found")

    registry.register(EngineSpec("absent", "not installed", lambda _: NullEngine(), check=missing))
    try:
        code = main(["ingest", str(tmp_path / "a.pdf"), "--ocr-engine", "absent",
                     "--output", str(tmp_path / "out")])  # fmt: skip
    finally:
        registry.unregister("absent")
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "error: OCR engine 'absent' is not usable (weights not found); install it or choose "
        "--ocr-engine rapidocr"
    )


def test_flow_parameter_choices_are_the_registry_names() -> None:
    from flows.ingest import OcrEngine

    assert [e.value for e in OcrEngine] == list(registry.engine_names())
