"""`python -m generator` runs the quizgen command line."""

from generator.entry import main

main()
