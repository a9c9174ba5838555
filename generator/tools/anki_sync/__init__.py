"""`quizgen anki sync`: apply a build straight to a closed Anki collection with the official `anki` package.

The sync works from a small neutral plan (`spec.py`: the notes quizgen wants, their note types and
the deck), which the Anki builder produces (`generator.outputs.anki.sync_plan`). `locate.py` finds
the collection file; `collection.py` opens it (refusing when Anki holds it open); `sync.py` compares
the plan with the collection and applies the difference. Only `spec.py` and `locate.py` may be
imported without the `anki` package installed.
"""
