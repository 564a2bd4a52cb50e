"""vivavoce: a voice mock interviewer that runs entirely on your laptop."""

import os

# CTranslate2's OpenMP threads otherwise spin while they wait for each other. When another
# thread or process takes a core (the audio stack, a busy laptop), the spinning thread burns
# its core waiting: profiled through the real devices, 65-70 % of the process's CPU went to
# libgomp's spin loop and transcription ran 5-10x slower. Set before ctranslate2 is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
