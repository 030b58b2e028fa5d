"""Mentoring schemes, split by concern: cohorts (and who may see them), people (participants,
interests, nominations, alumni), pairs (pairings and meetings), suggest (the pairing
suggestion), flows (group sessions, actions, closing, handover) and export."""
