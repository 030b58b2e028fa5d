# Production image: migrates, then serves with uvicorn as a non-root user. WORKERS, when not
# set, is 1 on SQLite (the only number it allows) and 2 on PostgreSQL (DATABASE_URL).
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir uv
COPY requirements.lock pyproject.toml README.md ./
RUN uv venv /opt/venv && uv pip sync -p /opt/venv/bin/python requirements.lock
COPY app ./app
RUN uv pip install -p /opt/venv/bin/python --no-deps .

FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 commonground
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/commonground
COPY alembic.ini ./
COPY migrations ./migrations
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PORT=8000
USER commonground
EXPOSE 8000
CMD ["sh", "-c", "commonground migrate && exec commonground serve --host 0.0.0.0 --port \"$PORT\""]
