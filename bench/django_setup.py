"""Django started for a benchmark: imported first, before anything of Django or the project.

The project on the path, the test settings (no secret needed, plain HTTP for the test
client) and a fresh temporary SQLite database unless DATABASE_URL names one.
"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FINSAM_TESTING", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()
