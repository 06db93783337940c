# Front-end assets, built by the same Makefile rule as a developer's `make install`.
FROM node:20-bookworm AS assets
WORKDIR /build
COPY Makefile package.json package-lock.json ./
RUN make static/vendor/.installed

FROM python:3.11-slim-bookworm

# Pango and HarfBuzz are WeasyPrint's layout engine; the fonts are what the PDFs embed; Cairo
# draws the charts of the reports' Word copies (CairoSVG).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 \
        fonts-dejavu-core fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install -c constraints.txt .
COPY . .
COPY --from=assets /build/static/vendor static/vendor

# Collected with the production (manifest) storage that serves them; the key only lets
# settings load for this one command and signs nothing.
RUN DEBUG=False SECRET_KEY=collectstatic-only-build-key-that-signs-nothing-at-all-0000 \
        ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home /app car \
    && mkdir -p /data/media \
    && chown -R car /data

USER car
EXPOSE 8000
CMD ["gunicorn", "car_programme.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
