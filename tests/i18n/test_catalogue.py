"""The English catalogue is complete, current and compiled.

The compiled ``django.mo`` is committed next to ``django.po`` (a fresh machine
may lack gettext's ``msgfmt``), so these tests fail when one of them is behind:
a string in the code or the templates that the catalogue lacks, an entry left
untranslated or fuzzy, or a ``.mo`` that no longer says what the ``.po`` says.
Run ``make messages`` to bring both up to date.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
NAMED = re.compile(r"%\((\w+)\)[sd]")
POSITIONAL = re.compile(r"%[sd]")
# What a work tree holds besides the sources: never scanned for strings.
NOT_SOURCES = {".git", ".venv", "node_modules", "staticfiles", "media", "private", ".pgdata"}


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} oöversatta, t.ex. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} osäkra (fuzzy), t.ex. {fuzzy[:5]}"


def test_placeholders_survive_translation(catalogue):
    """A translation may only use the placeholders the Swedish text is given: an unknown
    ``%(name)s`` or a changed number of ``%s`` raises at render time, for English readers
    only."""
    broken = []
    for entry in catalogue.translated_entries():
        if "python-format" not in entry.flags:
            continue
        given = set(NAMED.findall(entry.msgid)) | set(NAMED.findall(entry.msgid_plural or ""))
        positional = len(POSITIONAL.findall(entry.msgid))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            if not set(NAMED.findall(text)) <= given or (
                positional and len(POSITIONAL.findall(text)) != positional
            ):
                broken.append((entry.msgid, text))
    assert not broken, broken[:5]


def test_the_compiled_catalogue_is_current(catalogue):
    """``django.mo`` says exactly what ``django.po`` says (run ``make messages``)."""
    assert MO.exists(), "locale/en/LC_MESSAGES/django.mo saknas: kör make messages"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue.translated_entries():
        if entry.obsolete:
            continue
        prefix = f"{entry.msgctxt}\x04" if entry.msgctxt else ""
        if entry.msgid_plural:
            for index, text in sorted(entry.msgstr_plural.items()):
                n = 1 if index == 0 else 2
                if entry.msgctxt:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                if got != text:
                    stale.append(prefix + entry.msgid)
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            if got != entry.msgstr:
                stale.append(prefix + entry.msgid)
    # And nothing compiled that the catalogue no longer holds.
    known = {
        (f"{e.msgctxt}\x04" if e.msgctxt else "") + e.msgid for e in catalogue if not e.obsolete
    }
    extra = [k for k in compiled._catalog if (k[0] if isinstance(k, tuple) else k) not in known]
    extra = [k for k in extra if k not in ("", ("", 0))]
    assert not stale, f"django.mo är inaktuell för {len(stale)} poster, t.ex. {stale[:5]}"
    assert not extra, f"django.mo har {len(extra)} poster som .po saknar, t.ex. {extra[:5]}"


def _source_copy(destination: Path) -> None:
    """The sources as a clean clone has them (tracked and new files), without the catalogue's
    compiled file, in ``destination``."""
    root = Path(settings.BASE_DIR)
    listed = None
    if (root / ".git").exists() and shutil.which("git"):
        result = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        if result.returncode == 0:
            listed = [name for name in result.stdout.decode().split("\0") if name]
    if listed is None:
        listed = [
            str(path.relative_to(root))
            for path in root.rglob("*")
            if path.is_file() and not NOT_SOURCES & set(path.relative_to(root).parts)
        ]
    for name in listed:
        source = root / name
        if not source.is_file():
            continue  # deleted in the work tree, not yet in the index
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def test_every_translatable_string_is_in_the_catalogue(catalogue, tmp_path):
    """``makemessages`` over a copy of the sources finds nothing the catalogue lacks."""
    missing_tools = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]
    if missing_tools:
        if os.environ.get("CI"):
            pytest.fail(f"gettext saknas i CI ({', '.join(missing_tools)}): se .ci/run")
        pytest.skip(f"gettext saknas här ({', '.join(missing_tools)}): apt-get install gettext")
    _source_copy(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    have = {key(e) for e in catalogue if not e.obsolete}
    found = {key(e) for e in fresh if not e.obsolete}
    # Entries no longer used do no harm; the next `make messages` drops them.
    missing = sorted(found - have, key=str)
    assert not missing, f"{len(missing)} strängar saknas i katalogen, t.ex. {missing[:5]}"
