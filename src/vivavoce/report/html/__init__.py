"""The HTML reports, each one self-contained file that works offline: a session
(``render_html``), progress across sessions (``render_progress``) and a batch of scored
files (``render_batch``). Pure: documents in, HTML text out.

    page.py            the shell every page shares: CSP, base CSS, escaping
    session.py         a session: overview, then each answer (session_assets.py: its CSS and JS)
    overview.py        the session's first screen
    timeline.py        one answer's timeline (SVG)
    charts.py          charts over sessions and across files (SVG)
    progress.py        progress across sessions
    batch.py           a batch of `viva score` records
"""

from vivavoce.report.html.page import CSP
from vivavoce.report.html.session import AUDIO_MIME, render_html

__all__ = ["AUDIO_MIME", "CSP", "render_html"]
