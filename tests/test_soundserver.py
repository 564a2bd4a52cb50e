"""The virtual sound server carries real audio through PortAudio and pyttsx3."""

import subprocess
import sys
import wave

import numpy as np
import pytest

pytestmark = pytest.mark.e2e

RATE = 16000

# PULSE_SERVER must be set before sounddevice is imported, hence a subprocess.
RECORD_SCRIPT = """
import sys
import numpy as np
import sounddevice as sd
rate, seconds, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
with sd.InputStream(samplerate=rate, channels=1, dtype="float32") as stream:
    print("READY", flush=True)
    data, _overflowed = stream.read(int(rate * seconds))
np.save(out, data[:, 0])
"""

SPEAK_SCRIPT = """
import pyttsx3
engine = pyttsx3.init()
engine.runAndWait()  # AUDIO.md: the first runAndWait() after init() returns at once
engine.say("hello")
engine.runAndWait()
"""


def write_tone(path, freq=440.0, seconds=1.5, rate=48000, amplitude=0.5):
    t = np.arange(int(seconds * rate)) / rate
    pcm = (amplitude * 32767 * np.sin(2 * np.pi * freq * t)).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def test_microphone_records_what_is_played_into_it(sound_server, tmp_path):
    tone = tmp_path / "tone.wav"
    write_tone(tone)
    out = tmp_path / "recorded.npy"
    rec = subprocess.Popen(
        [sys.executable, "-c", RECORD_SCRIPT, str(RATE), "3", str(out)],
        env=sound_server.subprocess_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    with rec:
        assert rec.stdout.readline().strip() == "READY"
        player = sound_server.play_into_mic(tone)
        assert player.wait(timeout=15) == 0
        assert rec.wait(timeout=20) == 0

    audio = np.load(out)
    assert len(audio) == 3 * RATE
    assert np.sqrt(np.mean(audio**2)) > 0.05  # a 0.5-amplitude tone for half the take
    loud = audio[np.argmax(np.abs(audio) > 0.1) :][:RATE]  # one second from the tone's start
    assert len(loud) == RATE
    spectrum = np.abs(np.fft.rfft(loud * np.hanning(len(loud))))
    peak_hz = np.fft.rfftfreq(len(loud), 1 / RATE)[np.argmax(spectrum)]
    assert abs(peak_hz - 440) <= 5


def test_speaker_hears_pyttsx3(sound_server):
    with sound_server.record_speaker() as tap:
        speak = subprocess.run(
            [sys.executable, "-c", SPEAK_SCRIPT],
            env=sound_server.subprocess_env(),
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert speak.returncode == 0, speak.stderr
        heard = tap.wait_for_speech_then_silence(min_speech_s=0.1, silence_s=0.5, timeout_s=10)
    assert heard >= 0.2
