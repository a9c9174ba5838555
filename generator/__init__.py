"""quizgen: study material from hand-written questions about a news article."""

__version__ = "0.1.0"
