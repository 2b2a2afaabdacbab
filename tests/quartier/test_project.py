"""Project-wide guarantees: catalogues complete, migrations written, production settings deploy-clean,
demo data idempotent."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from quartier.management.commands.compile_catalogues import catalogues
from quartier.models import Office, User

ROOT = Path(settings.BASE_DIR)


def test_there_is_a_catalogue_for_every_interface_language():
    languages = {path.parts[-3] for path in catalogues() if path.is_relative_to(ROOT / "locale")}
    assert languages == {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_no_untranslated_or_fuzzy_entries(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {po_path}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {po_path}: {fuzzy[:10]}"


def test_german_catalogues_address_people_formally():
    informal = []
    for po_path in catalogues():
        if po_path.parts[-3] != "de":
            continue
        for entry in polib.pofile(str(po_path)).translated_entries():
            words = set(entry.msgstr.lower().replace(".", " ").replace(",", " ").replace("?", " ").split())
            if words & {"du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner"}:
                informal.append(entry.msgstr)
    assert informal == []


def _manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )


def test_no_model_change_lacks_a_migration():
    """Also on a machine with no SECRET_KEY: writing migrations signs nothing, so it needs none."""
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    result = _manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECURE_SSL_REDIRECT", "SECURE_COOKIES", "STATIC_PLAIN", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1",
        ALLOWED_HOSTS="quartier.example",
        SITE_URL="https://quartier.example",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env["DEBUG"] = "0"
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = (User.objects.count(), Office.objects.count())
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert (User.objects.count(), Office.objects.count()) == first
    assert User.objects.filter(is_staff=True).exists()
    assert "bewohnerin@quartier.example" in out
    assert "password" in out
