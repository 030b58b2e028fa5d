"""Common Ground: community engagement meetings between public services and residents."""
