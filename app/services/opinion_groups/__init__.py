"""Opinion groups: the distinct positions in the room and the common ground between them.

The method is in OPINION_GROUPS.md. `pipeline.compute` is the pure run on a vote matrix
(`matrix.VoteMatrix`); `store` loads votes and keeps the versioned result; `scheduler` reruns
it in the background;
`service.opinion_groups_view` is what pages and the API read (stored results only).
Importing the package loads none of the maths: numpy loads with the first run or map, scipy
and scikit-learn with the first run (together about 40 MB a process would otherwise carry).
"""
