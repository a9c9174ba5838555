"""A build from plan to commit: what is out of date, running the builders (in worker processes),
writing every output at once, and the files a build keeps (manifest, anki.lock, cache)."""
