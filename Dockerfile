# The knowledge base in one image, run beside PostgreSQL and Meilisearch: see
# docker-compose.yml and docs/deploy.md. Configuration comes only from the environment
# (the LIPKB_* and MEILI_* variables of the README); the store and the embedded index live
# in /data.

# Build stage: the pinned packages and the project, installed into a virtual environment
# that the final image copies whole (every dependency ships as a wheel: no compiler needed).
FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/lipkb
COPY requirements.lock ./
RUN /opt/lipkb/bin/pip install --require-hashes --only-binary=:all: -r requirements.lock
COPY pyproject.toml README.md ./
COPY api ./api
COPY indexer ./indexer
COPY content ./content
COPY frontend ./frontend
# A regular install: seed content and frontend travel as package data, not as a source tree.
RUN /opt/lipkb/bin/pip install --no-deps . \
    && /opt/lipkb/bin/python -m compileall -q /opt/lipkb

# Final stage: the runtime alone, as an unprivileged user.
FROM python:3.11.11-slim-bookworm
RUN useradd --create-home --uid 10001 --user-group lipkb \
    && mkdir /data && chown 10001:10001 /data
COPY --from=build /opt/lipkb /opt/lipkb
COPY docker/entrypoint.sh /usr/local/bin/lipkb-entrypoint
ENV PATH=/opt/lipkb/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LIPKB_DATA_DIR=/data \
    LIPKB_CONTENT_DIR=/opt/lipkb/lib/python3.11/site-packages/content
USER 10001:10001
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]
ENTRYPOINT ["lipkb-entrypoint"]
CMD ["serve"]
