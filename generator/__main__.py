"""`python -m generator` runs the quizgen command line."""

from generator.cli import main

main()
