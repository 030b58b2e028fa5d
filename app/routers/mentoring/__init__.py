"""Mentoring cohorts over HTTP, a module per module of `app.services.mentoring`: each holds
the JSON API (`api`) and the pages (`pages`) for what its service does."""
