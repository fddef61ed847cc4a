"""What the renderer needs from the system, checked when the worker starts, without loading
WeasyPrint: HarfBuzz's font subsetter (without it WeasyPrint falls back to a much slower
one: a 3-page report 0.49 s → 0.83 s) and fonts for every script a prospect may type.

Each check asks the system libraries themselves (fontconfig, the dynamic loader), so what
it says is what WeasyPrint will find. A missing piece is a warning, not a failure: reports
still render, slower, or with a fallback glyph where a script has no font.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

#: Scripts the reports must render, the fontconfig language that proves a font covers each,
#: and the Debian package that brings one.
SCRIPTS: dict[str, tuple[str, str]] = {
    "Latin": ("en", "fonts-dejavu-core"),
    "Greek": ("el", "fonts-dejavu-core"),
    "Cyrillic": ("ru", "fonts-dejavu-core"),
    "Arabic": ("ar", "fonts-noto-core"),
    "Japanese": ("ja", "fonts-noto-cjk"),
    "Chinese": ("zh-cn", "fonts-noto-cjk"),
}
SUBSET_LIBRARIES = (
    "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.so",
    "libharfbuzz-subset.0.dylib",
)
FONTCONFIG_LIBRARIES = ("libfontconfig.so.1", "libfontconfig.so", "libfontconfig.1.dylib")


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p)]


def load_library(names: tuple[str, ...], short_name: str) -> ctypes.CDLL | None:
    """The first of ``names`` the dynamic loader opens, else what ``find_library`` finds."""
    for name in (*names, ctypes.util.find_library(short_name)):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def has_harfbuzz_subset(loader: Callable = load_library) -> bool:
    """Whether HarfBuzz's subsetter (Debian: ``libharfbuzz-subset0``) can be loaded."""
    return loader(SUBSET_LIBRARIES, "harfbuzz-subset") is not None


def fonts_for(language: str, fontconfig: ctypes.CDLL) -> int:
    """How many installed fonts fontconfig says cover ``language`` (``:lang=ja``)."""
    fontconfig.FcNameParse.restype = ctypes.c_void_p
    fontconfig.FcNameParse.argtypes = [ctypes.c_char_p]
    fontconfig.FcObjectSetCreate.restype = ctypes.c_void_p
    fontconfig.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    fontconfig.FcFontList.restype = ctypes.POINTER(_FontSet)
    fontconfig.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    fontconfig.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FontSet)]
    fontconfig.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    fontconfig.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    pattern = fontconfig.FcNameParse(f":lang={language}".encode())
    objects = fontconfig.FcObjectSetCreate()
    fontconfig.FcObjectSetAdd(objects, b"family")
    try:
        found = fontconfig.FcFontList(None, pattern, objects)
        count = found.contents.nfont if found else 0
        if found:
            fontconfig.FcFontSetDestroy(found)
        return count
    finally:
        fontconfig.FcObjectSetDestroy(objects)
        fontconfig.FcPatternDestroy(pattern)


def missing_scripts(loader: Callable = load_library) -> dict[str, str]:
    """Scripts no installed font covers, with the package that brings one; every script
    when fontconfig itself cannot be loaded (WeasyPrint needs it too)."""
    fontconfig = loader(FONTCONFIG_LIBRARIES, "fontconfig")
    if fontconfig is None:
        return {script: package for script, (_, package) in SCRIPTS.items()}
    return {
        script: package
        for script, (language, package) in SCRIPTS.items()
        if not fonts_for(language, fontconfig)
    }


def system_warnings(loader: Callable = load_library) -> list[str]:
    """What the worker warns about at start-up: each missing piece and how to install it."""
    warnings = []
    if not has_harfbuzz_subset(loader):
        warnings.append(
            "libharfbuzz-subset0 is not installed: WeasyPrint falls back to a much slower font"
            " subsetter (a 3-page report takes ~0.8 s instead of ~0.5 s); install it with the"
            " system package manager (Debian: apt-get install libharfbuzz-subset0)"
        )
    missing = missing_scripts(loader)
    if missing:
        packages = " ".join(sorted(set(missing.values())))
        warnings.append(
            f"no installed font covers {', '.join(missing)}: names in these scripts will print"
            f" as empty boxes in reports; install fonts (Debian: apt-get install {packages})"
        )
    return warnings
