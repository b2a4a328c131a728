"""Pytest plugin loaded before Django reads its settings (see addopts in pyproject.toml).

Tests need no production secret: settings accept a local key when
FINSAM_TESTING is set. A conftest.py would be too late for this.
"""

import os

os.environ.setdefault("FINSAM_TESTING", "1")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
