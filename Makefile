# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install system-check lint format migrate demo worker clean

run: install
	mkdir -p var/media
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest

install: $(VENV)/.installed system-check

# Reinstalls only when the dependencies change; constraints.txt pins every version.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# WeasyPrint needs Pango from the system; it ships with Debian desktops and this project's
# machines, and .ci/run installs it where it is missing.
system-check:
	@ldconfig -p | grep -q 'libpango-1.0.so' || { \
		echo "WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
		exit 1; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

worker: install
	$(VENV)/bin/celery -A car_programme worker --loglevel=info

clean:
	rm -rf $(VENV) var staticfiles
