# syntax=docker/dockerfile:1
#
# onestop: the settlement service. Production image: no compilers, no embedded PostgreSQL
# (set DATABASE_URL), runs as an unprivileged user and writes nothing to its own filesystem.
#
#   docker build -t onestop:0.1.0 .
#   docker run --rm -p 8000:8000 -e DATABASE_URL=postgresql://user:pass@db:5432/onestop onestop:0.1.0
#
# The app finds policies/ and migrations/ next to the app/ package, so the source tree is
# installed in place (pip install -e) at /srv/onestop in the build stage and copied to the same
# path in the runtime stage, together with the virtualenv that points at it.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: a virtualenv with the dependencies and the app ----------------------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /srv/onestop
COPY pyproject.toml README.md ./
COPY app ./app
# Runtime dependencies only: no [dev], no [embedded] (pgserver). The cache mount keeps
# downloaded wheels between builds without putting them in a layer.
RUN --mount=type=cache,target=/root/.cache/pip pip install --no-compile -e .

COPY alembic.ini ./
COPY migrations ./migrations
COPY policies ./policies

# The root filesystem is read-only at run time: compile bytecode now, once.
RUN python -m compileall -q /opt/venv/lib /srv/onestop/app /srv/onestop/migrations

# --- runtime ----------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ARG UID=10001
RUN groupadd --system --gid "${UID}" onestop \
    && useradd --system --uid "${UID}" --gid onestop --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin onestop

COPY --from=build /opt/venv /opt/venv
COPY --from=build /srv/onestop /srv/onestop

ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000 \
    ONESTOP_LOG_FORMAT=json

WORKDIR /srv/onestop
USER ${UID}:${UID}
EXPOSE 8000

# slim has no curl: ask /healthz with the standard library.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', timeout=2)"]

# `onestop serve` migrates, publishes the shipped policy documents and serves; SIGTERM drains.
ENTRYPOINT ["onestop"]
CMD ["serve", "--host", "0.0.0.0"]
