"""The yardstick: a bare FastAPI endpoint inserting one row into SQLite (our pragmas)."""

import os
import sqlite3
import threading

from fastapi import FastAPI
from pydantic import BaseModel

DB_PATH = os.environ.get("BARE_DB", "/tmp/bare.db")
_local = threading.local()


def connection() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(DB_PATH, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS comment (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"
        )
        _local.conn = conn
    return conn


class CommentIn(BaseModel):
    body: str


app = FastAPI()


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/comments", status_code=201)
def post_comment(comment: CommentIn) -> dict[str, object]:
    conn = connection()
    conn.execute("BEGIN IMMEDIATE")
    cursor = conn.execute("INSERT INTO comment (body) VALUES (?)", (comment.body,))
    conn.execute("COMMIT")
    return {"id": cursor.lastrowid, "body": comment.body, "status": "published"}
