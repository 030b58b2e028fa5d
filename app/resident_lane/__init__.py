"""The residents' short road: the night's busiest requests, fenced in one package.

`asgi` answers phones' live streams and comment posts ahead of the middleware stack (they need
no session, compression or staff check); `writer` commits the comments waiting at a moment in
one transaction on one thread; `driver` runs prebuilt statements straight on the database
driver; `limits` slows floods down. The lane calls services (`services.comments`,
`services.night`), never a router; nothing here but `asgi` is above the infrastructure layer.

How a write commits, all of them:

1. A request's session (`app.db.get_session`): the session dependency commits when the route
   returns and rolls back when it raises; services only flush. Writing requests use
   `get_write_engine`.
2. A resident's vote, panel question or equality answer (`app.db.commit_in_thread`): the same
   session, its work and commit in one trip to the thread pool.
3. A resident's comment (`writer.write_on_driver`): the writer thread's grouped commit.
4. Background work (the opinion-group scheduler, the mail retrier): a session of its own on
   `get_write_engine`, committed by the code that opened it.

On SQLite every one of these takes the process's one write lock before its transaction
begins (`app.db`: sessions on `get_write_engine` when they begin, the writer through
`write_turn`), so writers go in turn the moment the one before commits.
"""
