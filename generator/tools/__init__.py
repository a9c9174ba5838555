"""What quizgen does besides check and build: serve and sync the study pages, watch, mark
scanned answer sheets, sync with Anki, and start a new article from a web page."""
