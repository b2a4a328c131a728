"""Renderers for the tests of the render process: module-level functions of a module
without Django, which the render process imports by name, as it does `reports.weasy`."""

import os
import time


def process_id(html: str, stylesheets: tuple[str, ...]) -> bytes:
    return str(os.getpid()).encode()


def sleeps(html: str, stylesheets: tuple[str, ...]) -> bytes:
    time.sleep(60)
    return b"%PDF too late"


def divides_by_zero(html: str, stylesheets: tuple[str, ...]) -> bytes:
    return 1 / 0


def dies(html: str, stylesheets: tuple[str, ...]) -> bytes:
    os._exit(3)


def loaded_modules(html: str, stylesheets: tuple[str, ...]) -> bytes:
    """The top-level packages loaded in the render process."""
    import sys

    return " ".join(sorted({name.split(".")[0] for name in sys.modules})).encode()
