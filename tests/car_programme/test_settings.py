import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k3Vq9-production-like-secret-key-for-the-deploy-check-7Hn2pXa4LmZ8rT"


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_like_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="car.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_start_up_without_debug_refuses_missing_secret_key():
    result = manage("check", DEBUG="False", ALLOWED_HOSTS="car.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_start_up_without_debug_refuses_the_development_key():
    from django.conf import settings

    result = manage(
        "check", DEBUG="False", SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY, ALLOWED_HOSTS="x.org"
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


PRINT_PROXY_HEADER = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"


def test_forwarded_proto_is_not_trusted_without_a_proxy():
    result = manage("shell", "-c", PRINT_PROXY_HEADER)

    assert result.stdout.splitlines()[-1] == "None", result.stderr


def test_forwarded_proto_is_trusted_behind_a_tls_proxy():
    result = manage("shell", "-c", PRINT_PROXY_HEADER, BEHIND_TLS_PROXY="True")

    assert result.stdout.splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


def test_a_client_claiming_https_is_not_believed(client):
    response = client.get("/no-such-page/", HTTP_X_FORWARDED_PROTO="https")

    assert response.wsgi_request.is_secure() is False
