# Production image: migrates, then serves with uvicorn (WORKERS workers) as a non-root user.
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
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PORT=8000 WORKERS=2
USER commonground
EXPOSE 8000
CMD ["sh", "-c", "commonground migrate && exec commonground serve --host 0.0.0.0 --port \"$PORT\" --workers \"$WORKERS\""]
