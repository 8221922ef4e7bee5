# The knowledge base in one image. Run it beside PostgreSQL and Meilisearch with:
#   docker run -p 8000:8000 -e LIPKB_DATABASE_URL=postgresql+psycopg://... \
#     -e LIPKB_SEARCH_ENGINE=meilisearch -e MEILI_URL=http://meili:7700 -e MEILI_MASTER_KEY=... lipkb
FROM python:3.11-slim

RUN useradd --create-home --uid 1000 lipkb
WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY api ./api
COPY indexer ./indexer
COPY content ./content
COPY frontend ./frontend
RUN pip install --no-cache-dir --no-deps -e . && mkdir -p /data && chown lipkb /data

USER 1000
ENV LIPKB_DATA_DIR=/data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["lipkb", "serve", "--host", "0.0.0.0", "--port", "8000"]
