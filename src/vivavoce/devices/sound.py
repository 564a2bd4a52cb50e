"""The real microphone, through PortAudio (sounddevice)."""

from __future__ import annotations

import queue
import sys

import numpy as np

from vivavoce.audio import SAMPLE_RATE_HZ, resample_linear
from vivavoce.errors import DeviceError, NoInputDeviceError

BLOCK_S = 0.1
PLUG_IN_TIP = "Plug in or enable a microphone, or pick one with --input-device (see: viva devices)."
DEVICES_TIP = "See the devices with: viva devices"


def import_sounddevice():
    try:
        import sounddevice
    except OSError as e:  # the PortAudio library itself is missing
        raise DeviceError(f"PortAudio is not available: {e}", portaudio_tip()) from e
    return sounddevice


def portaudio_tip() -> str:
    if sys.platform.startswith("linux"):
        return "Install it: sudo apt-get install libportaudio2"
    if sys.platform == "darwin":
        return "Reinstall sounddevice (pip install --force-reinstall sounddevice), or: brew install portaudio"
    return "Reinstall sounddevice: pip install --force-reinstall sounddevice"


def list_devices() -> list[dict]:
    sd = import_sounddevice()
    defaults = sd.default.device
    rows = []
    for index, d in enumerate(sd.query_devices()):
        rows.append(
            {
                "index": index,
                "name": d["name"],
                "hostapi": sd.query_hostapis(d["hostapi"])["name"],
                "inputs": d["max_input_channels"],
                "outputs": d["max_output_channels"],
                "default_rate_hz": d["default_samplerate"],
                "default_input": index == defaults[0],
                "default_output": index == defaults[1],
            }
        )
    return rows


class SoundDeviceStream:
    def __init__(self, sd, device, sample_rate_hz: int):
        self.sample_rate_hz = SAMPLE_RATE_HZ
        self.device_rate_hz = sample_rate_hz
        self.overflows = 0
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._stream = sd.InputStream(
            device=device,
            samplerate=sample_rate_hz,
            channels=1,
            dtype="float32",
            blocksize=int(sample_rate_hz * BLOCK_S),
            callback=self._callback,
        )
        self._stream.start()

    def _callback(self, indata, frames, time_info, status) -> None:
        if status.input_overflow:
            self.overflows += 1
        self._queue.put(indata[:, 0].copy())

    def read(self, timeout_s: float) -> np.ndarray | None:
        try:
            block = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            return None
        return resample_linear(block, self.device_rate_hz, SAMPLE_RATE_HZ)

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class SoundDeviceMicrophone:
    def __init__(self, device: int | str | None = None):
        self.device = device

    def check(self) -> dict:
        """The input device's description; raise NoInputDeviceError if there is none."""
        sd = import_sounddevice()
        try:
            return sd.query_devices(self.device, kind="input")
        except (ValueError, sd.PortAudioError) as e:
            raise self._not_found(sd, e) from e

    def _not_found(self, sd, error: Exception) -> NoInputDeviceError:
        devices = list(sd.query_devices())
        if self.device is None or not any(d["max_input_channels"] > 0 for d in devices):
            which = "no default input device" if self.device is None else f"input device {self.device!r}: {error}"
            return NoInputDeviceError(f"no microphone: {which}", PLUG_IN_TIP)
        if isinstance(self.device, int) and 0 <= self.device < len(devices):
            name = devices[self.device]["name"]
            return NoInputDeviceError(f"device {self.device} ({name!r}) is not an input device", DEVICES_TIP)
        if str(error).startswith("Multiple"):
            return NoInputDeviceError(
                f"several input devices match {self.device!r}", "Give its index instead (see: viva devices)."
            )
        return NoInputDeviceError(f"no input device {self.device!r}", DEVICES_TIP)

    def open(self) -> SoundDeviceStream:
        sd = import_sounddevice()
        info = self.check()
        try:
            return SoundDeviceStream(sd, self.device, SAMPLE_RATE_HZ)
        except sd.PortAudioError:
            rate = int(info["default_samplerate"])  # the device cannot do 16 kHz itself
        try:
            return SoundDeviceStream(sd, self.device, rate)
        except sd.PortAudioError as e:
            raise DeviceError(
                f"cannot open microphone {info['name']!r}: {e}",
                "Is another program using it? Try another with --input-device.",
            ) from e
