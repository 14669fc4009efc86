"""OCR engines behind one small interface: an image in, text boxes in pixels out.

The rest of the OCR stage (rendering, deskew, graphics, normalisation, caching) never talks to an
engine library directly, so a second engine only has to implement ``OcrEngine``. Engines are
expensive to build (ONNX sessions), so build one per process and reuse it (the registry keeps
one per name and settings). The engines register themselves at the end of this module
(``csrextract.ocr.registry``).

Offline by construction: the default engine points RapidOCR at the PP-OCR ONNX files that ship
inside the ``rapidocr`` wheel, and fails with ``OcrUnavailableError`` if they are not there — it
never lets the library fall back to downloading them.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol, runtime_checkable

import cv2
import numpy as np

from csrextract.errors import OcrUnavailableError
from csrextract.ocr.registry import RUNTIME_ENV, EngineSpec, OcrSettings, build_engine, register
from csrextract.ocr.registry import check_available as registry_check

__all__ = ["RUNTIME_ENV", "BoxReader", "OcrBox", "OcrEngine", "RapidOcrEngine", "RapidOcrSettings"]

logger = logging.getLogger(__name__)

Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
"""Four corners in pixels (top-left, top-right, bottom-right, bottom-left)."""

PADDLE_MODEL_DIR_ENV = "CSREXTRACT_PADDLE_MODEL_DIR"


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One recognised text run: its quadrilateral in image pixels, its text and confidence."""

    quad: Quad
    text: str
    confidence: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        """Axis-aligned (x0, top, x1, bottom) in pixels."""
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return (min(xs), min(ys), max(xs), max(ys))

    def to_json(self) -> dict[str, Any]:
        return {"quad": [list(p) for p in self.quad], "text": self.text, "conf": self.confidence}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OcrBox:
        quad = tuple((float(p[0]), float(p[1])) for p in data["quad"])
        return cls(quad, str(data["text"]), float(data["conf"]))  # type: ignore[arg-type]


@runtime_checkable
class OcrEngine(Protocol):
    """What the OCR stage needs from an engine."""

    name: str
    version: str
    """Engine package version + model ids: part of every cache key, so new weights re-OCR."""

    def recognise(self, image: np.ndarray) -> list[OcrBox]:
        """Text runs on a greyscale (H, W) or BGR (H, W, 3) uint8 image."""
        ...


@runtime_checkable
class BoxReader(Protocol):
    """An engine that can also read given boxes of an image without detecting (optional: the
    OCR stage re-reads the pieces of a box it splits, ``csrextract.ocr.split``)."""

    def read_boxes(
        self, image: np.ndarray, boxes: Sequence[tuple[int, int, int, int]]
    ) -> list[tuple[str, float]]:
        """Text and confidence of each (x0, top, x1, bottom) pixel box of ``image``."""
        ...


@dataclass(frozen=True, slots=True)
class RapidOcrSettings:
    """Speed/accuracy knobs of the default engine (the defaults are the measured sweet spot).

    ``det_max_side``: the detector sees the image scaled so its longer side is at most this many
    pixels — detection cost grows with pixels while text boxes stay findable well below the
    render resolution; recognition still crops from the full-resolution image.
    ``use_cls``: the 180° text-direction classifier; report pages are upright, so it is off.
    ``rec_batch``: crops per recognition call; every crop of a call is padded to the widest, and
    that padding costs more than the per-call overhead saves (measured: 2 beats 6 by ~8%).
    ``rec_min_width``: recognition pads every crop in a batch to at least this width (PaddleOCR
    uses 320 px, so a short table cell like "1.25" costs as much as a whole line); 96 px keeps
    the same readings at a fraction of the work on table pages.
    ``long_run_squeeze``: width factor for long runs before recognition (see ``_read``);
    ``long_run_ratio``: a crop wider than this many times its height is a long run.
    ``threads``: inference threads (1 per worker process when running a pool).
    ``runtime``: what runs the PP-OCR networks. ``"openvino"`` compiles the same ONNX files with
    OpenVINO, which on CPUs with native bfloat16 (``avx512_bf16`` / AMX) runs them in bf16:
    recognition ~1.6x faster than ONNX Runtime at the same character error rate (bench/ocr.py);
    on other CPUs it runs fp32 at about ONNX Runtime's speed. ``"onnxruntime"`` is rapidocr's
    own default; ``"auto"`` takes OpenVINO when it is installed. Default:
    ``$CSREXTRACT_OCR_RUNTIME``, else ``"auto"``.
    """

    det_max_side: int = 960
    use_cls: bool = False
    rec_batch: int = 2
    rec_min_width: int = 96
    long_run_squeeze: float = 0.7
    long_run_ratio: float = 8.0
    threads: int = 0  # 0: let the runtime decide
    runtime: str = field(default_factory=lambda: os.environ.get(RUNTIME_ENV, "auto"))
    text_score: float = 0.5
    model_dir: Path | None = None  # None: the models inside the rapidocr wheel


DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"


def bundled_model_dir() -> Path:
    """Where the rapidocr wheel keeps its ONNX models (raises if rapidocr is not installed)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise OcrUnavailableError(
            "OCR engine 'rapidocr' is not installed: install the 'rapidocr' and 'onnxruntime' "
            "packages (they ship the PP-OCR models)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _model_paths(settings: RapidOcrSettings) -> dict[str, Path]:
    root = settings.model_dir or bundled_model_dir()
    paths = {"Det": root / DET_MODEL, "Rec": root / REC_MODEL}
    if settings.use_cls:
        paths["Cls"] = root / CLS_MODEL
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise OcrUnavailableError(
            "OCR model weights missing: " + ", ".join(missing) + " — reinstall the rapidocr wheel "
            "(it ships them) or point the engine at a folder holding "
            f"{DET_MODEL} and {REC_MODEL}; nothing is downloaded at run time"
        )
    return paths


@contextlib.contextmanager
def _downloads_forbidden() -> Iterator[None]:
    """Turn any download rapidocr would attempt into a clear error instead of network access."""
    from rapidocr.utils import download_file

    original = download_file.DownloadFile.run

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OcrUnavailableError(
            "rapidocr tried to download a model file; csrextract runs offline — "
            "check that the rapidocr wheel's models/ folder is complete"
        )

    download_file.DownloadFile.run = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        download_file.DownloadFile.run = original  # type: ignore[method-assign]


@contextlib.contextmanager
def _no_spinning() -> Iterator[None]:
    """ONNX Runtime sessions whose idle worker threads sleep instead of spinning.

    Spinning threads burn a core while waiting for the next operator; on a machine shared with
    other jobs (or with our own worker processes) that steals the very CPU the other thread is
    waiting for. rapidocr builds its sessions itself, so its ``SessionOptions`` are wrapped
    while it does.
    """
    from rapidocr.inference_engine.onnxruntime import main as ort_main

    original = ort_main.SessionOptions

    def quiet() -> Any:
        options = original()
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return options

    ort_main.SessionOptions = quiet
    try:
        yield
    finally:
        ort_main.SessionOptions = original


RUNTIMES = ("auto", "openvino", "onnxruntime")


def resolve_runtime(runtime: str) -> str:
    """The runtime ``runtime`` names: ``auto`` is OpenVINO when installed, else ONNX Runtime."""
    if runtime not in RUNTIMES:
        raise OcrUnavailableError(f"unknown OCR runtime {runtime!r}; choose one of {RUNTIMES}")
    if runtime == "auto":
        return "openvino" if importlib.util.find_spec("openvino") else "onnxruntime"
    if runtime == "openvino" and importlib.util.find_spec("openvino") is None:
        raise OcrUnavailableError("OCR runtime 'openvino' is not installed: pip install openvino")
    return runtime


DET_STEP = 64
REC_STEP = 16


@functools.cache
def openvino_precision() -> str:
    """``bf16`` where the CPU computes bfloat16 natively (per OpenVINO), else ``f32``."""
    import openvino

    capabilities = openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    return "bf16" if "BF16" in capabilities else "f32"


class OpenVinoSession:
    """One PP-OCR network compiled by OpenVINO, called like rapidocr's own sessions.

    rapidocr keeps pre- and post-processing (and reads the recogniser's character list from the
    ONNX file) either way; only the network call moves here. Precision is bf16 where the CPU
    computes it natively — PP-OCR was trained for fp32/fp16, and its readings match fp32's
    within the benchmark's noise — and fp32 elsewhere; both are part of the engine version.
    CPU pinning is off: worker processes of one pool must not pin themselves to the same core.

    ``step``: inputs are zero-padded on the right and bottom to a multiple of this many pixels,
    as rapidocr itself pads every crop of a recognition batch to the widest one. OpenVINO
    prepares its kernels per input shape, which costs more than a recognition call; rounded
    shapes let a page reuse the kernels of the pages before it (measured: recognition ~15%
    faster on cold pages).
    """

    def __init__(self, model: Path, threads: int, step: int = 1) -> None:
        import openvino

        self.step = step
        core = openvino.Core()
        config: dict[str, Any] = {
            "INFERENCE_PRECISION_HINT": openvino_precision(),
            "PERFORMANCE_HINT": "LATENCY",
            "ENABLE_CPU_PINNING": False,
        }
        if threads > 0:
            config["INFERENCE_NUM_THREADS"] = threads
        compiled = core.compile_model(core.read_model(model), "CPU", config)
        self._request = compiled.create_infer_request()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        """The network's output for ``batch``. The array is OpenVINO's own output buffer, valid
        until the next call: rapidocr decodes it before it calls again (the recogniser's
        output is ~10 MB per batch, so not copying it matters)."""
        h, w = batch.shape[2:]
        pad_h, pad_w = -h % self.step, -w % self.step
        if pad_h or pad_w:
            batch = np.pad(batch, ((0, 0), (0, 0), (0, pad_h), (0, pad_w)))
        out = self._request.infer({0: batch}, share_outputs=True)[0]
        # the detector's probability map is cut back to its input's size; the recogniser's
        # time steps are all kept: like a narrower crop of a batch, a crop followed by padding
        # may emit its last mark (a "。") a step or two into the padding
        return out[:, :, :h, :w] if out.ndim == 4 else out


class _Networks(NamedTuple):
    """rapidocr's stages of one engine (their ``session`` may be an ``OpenVinoSession``)."""

    detector: Any
    recogniser: Any
    classifier: Any  # None unless the 180° direction classifier is on


def _file_id(path: Path) -> str:
    return f"{path.name}:{path.stat().st_size}"


class RapidOcrEngine:
    """PP-OCR detection + recognition through ``rapidocr`` (on OpenVINO or ONNX Runtime),
    bundled weights.

    Building one checks the model files and settles the version (the cache key) at once, but
    loads the networks only when the first image is recognised: a re-run whose pages all
    come from the cache never pays for importing rapidocr and loading the models (~2 s).
    """

    name = "rapidocr"

    def __init__(self, settings: RapidOcrSettings | None = None) -> None:
        self.settings = s = settings or RapidOcrSettings()
        self._paths = _model_paths(s)
        self._runtime = resolve_runtime(s.runtime)
        if self._runtime == "openvino":
            runtime = f"openvino-{importlib.metadata.version('openvino')}-{openvino_precision()}"
        else:
            runtime = f"onnxruntime-{importlib.metadata.version('onnxruntime')}"
        self.version = "rapidocr-{}|{}|{}|det{}|cls{}|rec{}x{}|sq{}@{}".format(
            importlib.metadata.version("rapidocr"),
            ",".join(_file_id(p) for p in self._paths.values()),
            runtime,
            s.det_max_side,
            int(s.use_cls),
            s.rec_min_width,
            s.rec_batch,
            s.long_run_squeeze,
            s.long_run_ratio,
        )
        self._networks: _Networks | None = None

    @property
    def loaded(self) -> bool:
        return self._networks is not None

    def load(self) -> _Networks:
        """The networks, loaded on first use (benchmarks call it before the clock starts)."""
        if self._networks is None:
            self._networks = self._load()
        return self._networks

    def _load(self) -> _Networks:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailableError(
                f"OCR engine 'rapidocr' cannot be imported ({exc}): install rapidocr and "
                "onnxruntime"
            ) from exc
        s, paths = self.settings, self._paths
        with _downloads_forbidden(), _no_spinning():
            pipeline = RapidOCR(params=self._params(paths))
            # rapidocr loads its sessions lazily: load them all now, before the first page
            det = pipeline._load_det_model()
            rec = pipeline._load_rec_model()
            cls = pipeline._load_cls_model() if s.use_cls else None
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        if self._runtime == "openvino":
            det.session = OpenVinoSession(paths["Det"], s.threads, DET_STEP)
            rec.session = OpenVinoSession(paths["Rec"], s.threads, REC_STEP)
        return _Networks(det, rec, cls)

    def _params(self, paths: dict[str, Path]) -> dict[str, Any]:
        s = self.settings
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.use_cls": s.use_cls,
            "Global.text_score": s.text_score,
            "Global.max_side_len": 100_000,  # no global shrink: recognition crops at full res
            "Det.limit_type": "max",
            "Det.limit_side_len": s.det_max_side,
            "Rec.rec_batch_num": s.rec_batch,
            "Rec.rec_img_shape": [3, 48, s.rec_min_width],
        }
        for task, path in paths.items():
            params[f"{task}.model_path"] = str(path)
        if s.threads > 0:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = s.threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        return params

    def recognise(self, image: np.ndarray) -> list[OcrBox]:
        """Detect text runs, crop them from the full-resolution image, recognise the crops."""
        bgr = _three_channels(image)
        quads = self._detect(bgr)
        if not quads:
            return []
        from rapidocr.utils.process_img import get_rotate_crop_image

        crops = [get_rotate_crop_image(bgr, q.copy()) for q in quads]
        classifier = self.load().classifier
        if classifier is not None:
            crops = list(classifier(crops).img_list)
        texts, scores = self._read(crops)
        out = []
        for quad, text, score in zip(quads, texts, scores, strict=True):
            if text.strip() and score >= self.settings.text_score:
                corners = tuple((float(x), float(y)) for x, y in quad[:4])
                out.append(OcrBox(corners, text, float(score)))  # type: ignore[arg-type]
        return out

    def read_boxes(
        self, image: np.ndarray, boxes: Sequence[tuple[int, int, int, int]]
    ) -> list[tuple[str, float]]:
        """Recognise upright pixel boxes of ``image`` as they are (no detection): the pieces of
        a detected box cut apart by ``csrextract.ocr.split``. Crops are cheap to read; this is
        called only for boxes that hold a wide gap."""
        if not boxes:
            return []
        bgr = _three_channels(image)
        crops = [np.ascontiguousarray(bgr[y0:y1, x0:x1]) for x0, y0, x1, y1 in boxes]
        texts, scores = self._read(crops)
        return list(zip(texts, scores, strict=True))

    def _detect(self, bgr: np.ndarray) -> list[np.ndarray]:
        """Text quads (pixels of ``bgr``), detected on the inked part of the image only.

        Blank margins cost the detector as much as text does; the detector sees just the box
        around the ink, at the scale it would use for the whole image (``det_max_side`` over
        the image's longer side), so results do not depend on how much margin there was. An
        image without ink is not run through the detector at all.
        """
        content = ink_box(bgr)
        if content is None:
            return []
        x0, y0, x1, y1 = content
        scale = min(1.0, self.settings.det_max_side / max(bgr.shape[:2]))
        crop = np.ascontiguousarray(bgr[y0:y1, x0:x1])
        detector = self.load().detector
        detector.limit_side_len = max(32, round(max(crop.shape[:2]) * scale))
        detected = detector(_padded_for_detection(crop))
        if detected.boxes is None or len(detected.boxes) == 0:
            return []
        offset = np.array([x0, y0], dtype=np.float32)
        return [np.array(q, dtype=np.float32) + offset for q in detected.boxes]

    def _read(self, crops: list[np.ndarray]) -> tuple[list[str], list[float]]:
        """Recognise crops; long runs first squeezed in width, re-read unsqueezed if unsure.

        Recognition cost grows with a crop's width at the model's 48-px height, and long runs
        are nearly always CJK prose, whose square glyphs read just as well at 70% width. A long
        run that comes back mostly Latin/digits or with a low score is read again at full width,
        so narrow Latin glyphs never pay for the shortcut.
        """
        from rapidocr.ch_ppocr_rec import TextRecInput

        squeeze = self.settings.long_run_squeeze
        ratio = self.settings.long_run_ratio
        long = [i for i, c in enumerate(crops) if c.shape[1] > ratio * c.shape[0]]
        prepared = list(crops)
        for i in long if squeeze < 1.0 else []:
            c = crops[i]
            prepared[i] = cv2.resize(c, (max(8, int(c.shape[1] * squeeze)), c.shape[0]))
        recogniser = self.load().recogniser
        result = recogniser(TextRecInput(img=prepared))
        texts = [str(t) for t in result.txts]
        scores = [float(v) for v in result.scores]
        unsure = [i for i in long if squeeze < 1.0 and _unsure(texts[i], scores[i])]
        if unsure:
            again = recogniser(TextRecInput(img=[crops[i] for i in unsure]))
            for k, i in enumerate(unsure):
                texts[i], scores[i] = str(again.txts[k]), float(again.scores[k])
        return texts, scores


def _three_channels(image: np.ndarray) -> np.ndarray:
    """``image`` as the contiguous three-channel array the PP-OCR models take (a grey page
    image repeated over the channels)."""
    return np.ascontiguousarray(
        image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2)
    )


def _unsure(text: str, score: float) -> bool:
    """Whether a squeezed reading should be redone at full width: mostly Latin (narrow glyphs
    suffer from the squeeze), a low score, an odd number of curly quotes (a squeezed ”“ pair
    tends to come back as one mark) or a closing quote before any opening one (a squeezed “”
    pair can come back mirrored)."""
    quotes = [c for c in text if c in "“”"]
    return (
        _latin_share(text) >= 0.3
        or score < 0.9
        or len(quotes) % 2 == 1
        or (bool(quotes) and quotes[0] == "”")
    )


def _latin_share(text: str) -> float:
    return sum(c.isascii() and c.isalnum() for c in text) / max(1, len(text))


INK_CONTRAST = 40
"""Grey levels below the paper that make a pixel ink for the content box: light grey running
headers count, scanner noise (a few levels) never does."""
INK_MARGIN = 24
"""Pixels kept around the content box: the detector needs context around edge glyphs."""


def ink_box(image: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) in pixels around everything clearly darker than the paper, with a
    margin; ``None`` for a blank image."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    h, w = grey.shape[:2]
    paper = int(np.percentile(grey[:: max(1, h // 64), :: max(1, w // 64)], 90))
    dark = (grey < paper - INK_CONTRAST).astype(np.uint8)
    rows, cols = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    if len(rows) == 0:
        return None
    x0, x1 = max(0, int(cols[0]) - INK_MARGIN), min(w, int(cols[-1]) + 1 + INK_MARGIN)
    y0, y1 = max(0, int(rows[0]) - INK_MARGIN), min(h, int(rows[-1]) + 1 + INK_MARGIN)
    return x0, y0, x1, y1


def _padded_for_detection(image: np.ndarray) -> np.ndarray:
    """White rows below a very flat or tiny image (a one-row table pasted as a picture): the
    detector needs some height to work with. Padding below keeps every coordinate as it is."""
    h, w = image.shape[:2]
    want = max(32, int(w / 8))
    if h >= want:
        return image
    pad = np.full((want - h, w, image.shape[2]), 255, dtype=image.dtype)
    return np.vstack([image, pad])


class PaddleOcrEngine:
    """PaddleOCR with the user's local models (``CSREXTRACT_PADDLE_MODEL_DIR`` or an argument).

    Optional: only for users who already have PaddleOCR and its inference models; the model
    directory must hold ``det/`` and ``rec/`` model folders. Never downloads.
    """

    name = "paddleocr"

    def __init__(self, model_dir: Path | None = None) -> None:
        configured = model_dir or (
            Path(os.environ[PADDLE_MODEL_DIR_ENV]) if os.environ.get(PADDLE_MODEL_DIR_ENV) else None
        )
        if importlib.util.find_spec("paddleocr") is None:
            raise OcrUnavailableError(
                "OCR engine 'paddleocr' is not installed (pip install paddleocr paddlepaddle); "
                f"it also needs local models in ${PADDLE_MODEL_DIR_ENV}. "
                "The default engine 'rapidocr' needs neither."
            )
        if configured is None or not configured.is_dir():
            where = configured or f"${PADDLE_MODEL_DIR_ENV} (not set)"
            raise OcrUnavailableError(
                f"OCR engine 'paddleocr' needs a local model directory: {where} does not exist"
            )
        det, rec = configured / "det", configured / "rec"
        for needed in (det, rec):
            if not needed.is_dir():
                raise OcrUnavailableError(f"PaddleOCR model folder missing: {needed}")
        from paddleocr import PaddleOCR  # pragma: no cover - needs the optional package

        self._ocr = PaddleOCR(  # pragma: no cover
            text_detection_model_dir=str(det),
            text_recognition_model_dir=str(rec),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
        )
        self.version = f"paddleocr|{configured.resolve()}"  # pragma: no cover

    def recognise(self, image: np.ndarray) -> list[OcrBox]:  # pragma: no cover - optional engine
        bgr = image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2)
        out: list[OcrBox] = []
        for page in self._ocr.predict(bgr):
            for quad, text, score in zip(
                page["rec_polys"], page["rec_texts"], page["rec_scores"], strict=True
            ):
                corners = tuple((float(x), float(y)) for x, y in np.asarray(quad)[:4])
                out.append(OcrBox(corners, str(text), float(score)))  # type: ignore[arg-type]
        return out


def _check_rapidocr(settings: OcrSettings) -> None:
    """Cheap: the runtime resolves and the bundled model files are there (no networks)."""
    if importlib.util.find_spec("onnxruntime") is None:
        raise OcrUnavailableError("OCR engine 'rapidocr' needs onnxruntime: install it")
    resolve_runtime(settings.runtime)
    _model_paths(RapidOcrSettings(runtime=settings.runtime))


def _build_rapidocr(settings: OcrSettings) -> OcrEngine:
    return RapidOcrEngine(RapidOcrSettings(threads=settings.threads, runtime=settings.runtime))


def _check_paddleocr(settings: OcrSettings) -> None:
    build_engine(settings)  # PaddleOCR checks its model folders as it is built


register(
    EngineSpec(
        name="rapidocr",
        summary="PP-OCR through rapidocr on OpenVINO or ONNX Runtime (bundled weights)",
        build=_build_rapidocr,
        packages=("rapidocr", "onnxruntime"),
        check=_check_rapidocr,
        options=("runtime", "threads"),
    )
)
register(
    EngineSpec(
        name="paddleocr",
        summary=f"PaddleOCR with local models in ${PADDLE_MODEL_DIR_ENV}",
        build=lambda settings: PaddleOcrEngine(),
        check=_check_paddleocr,
    )
)

_BUILT: dict[RapidOcrSettings, OcrEngine] = {}


def check_available(name: str) -> None:
    """``OcrUnavailableError`` now if engine ``name`` could not be built (see the registry)."""
    registry_check(name)


def get_engine(name: str = "rapidocr", settings: RapidOcrSettings | None = None) -> OcrEngine:
    """The process-wide engine of that name (built on first use); ``settings`` tunes a
    rapidocr engine beyond what ``OcrSettings`` carries (benchmarks)."""
    if settings is None or name != "rapidocr":
        return build_engine(name)
    if settings not in _BUILT:
        _BUILT[settings] = RapidOcrEngine(settings)
    return _BUILT[settings]
