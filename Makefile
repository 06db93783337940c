# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Bootstrap, htmx, Tom Select (type-ahead pickers) and the reports' font, served from the
# project's own static files (no CDN at run time); WeasyPrint embeds the font in every PDF.
VENDOR := static/vendor

.PHONY: run test install system-check lint format migrate demo worker clean

# HOST=0.0.0.0:8000 serves on every address of the machine (see the README).
# Reports render in a Celery worker beside the server (manage.py serve), by default on a broker
# that keeps its messages as files under var/broker/: the embedded default needs no Redis.
CELERY_BROKER_URL ?= filesystem://
run: install
	mkdir -p var/media
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "CAR Programme Manager serves http://$(HOST)/ (Ctrl+C stops it and its worker)."
	CELERY_BROKER_URL=$(CELERY_BROKER_URL) $(PY) manage.py serve $(HOST)

# One pytest-xdist process per core, each on its own test database (test_<name>_gw0, ...).
# PYTEST_ARGS adds options, e.g. PYTEST_ARGS=--durations=10 (CI's) for the slowest tests.
PYTEST_ARGS ?=
test: install
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

install: $(VENV)/.installed $(VENDOR)/.installed system-check

# Reinstalls only when the dependencies change; constraints.txt pins every version, uv's too.
# uv installs the same pins as pip in a few seconds instead of half a minute.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt uv
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -c constraints.txt -e '.[dev]'
	touch $@

# Reinstalls only when the front-end pins change; package-lock.json pins every version.
$(VENDOR)/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { \
		echo "The front-end assets need Node.js 20 and npm: apt-get install nodejs npm"; \
		exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/fonts $(VENDOR)/tom-select
	cp node_modules/bootstrap/dist/css/bootstrap.min.css \
		node_modules/bootstrap/dist/css/bootstrap.min.css.map \
		node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
		node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
		node_modules/bootstrap/LICENSE $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE $(VENDOR)/htmx/
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js \
		node_modules/tom-select/dist/js/tom-select.complete.min.js.map \
		node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css \
		node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css.map \
		node_modules/tom-select/LICENSE $(VENDOR)/tom-select/
	cp node_modules/@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-*-normal.woff2 \
		node_modules/@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-*-italic.woff2 \
		node_modules/@fontsource/atkinson-hyperlegible/LICENSE $(VENDOR)/fonts/
	touch $@

# WeasyPrint needs Pango from the system, and CairoSVG (the charts of a report's Word copy)
# needs Cairo; they ship with Debian desktops and this project's machines, and .ci/run installs
# them where they are missing.
system-check:
	@ldconfig -p | grep -q 'libpango-1.0.so' || { \
		echo "WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
		exit 1; }
	@ldconfig -p | grep -q 'libcairo.so.2' || { \
		echo "CairoSVG needs Cairo: apt-get install libcairo2"; \
		exit 1; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Needs CELERY_BROKER_URL; without it reports render in the web process. --beat runs the
# sweeper beside the worker, fine for one developer's machine (production runs one beat).
worker: install
	$(VENV)/bin/celery -A car_programme worker --queues=reports --concurrency=1 --beat \
		--loglevel=info

clean:
	rm -rf $(VENV) var staticfiles node_modules $(VENDOR)
