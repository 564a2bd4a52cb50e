"""Microphone and speaker behind small Protocols. sounddevice and pyttsx3 are imported
only inside the real implementations, so nothing else needs PortAudio or espeak."""

from vivavoce.devices.base import InputStream, Microphone, Speaker

__all__ = ["InputStream", "Microphone", "Speaker"]
