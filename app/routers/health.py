"""Operator probe."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.db import database_ok

router = APIRouter(tags=["operator"])


@router.get("/healthz")
def healthz() -> JSONResponse:
    """200 when the database answers, 503 otherwise."""
    if database_ok():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "database unreachable"}, status_code=503)
