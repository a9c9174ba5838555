"""What `quizgen check` finds in a loaded library: passages anchored, questions validated, dates,
giveaways, item-writing lints, the summary; and the quiz's selection, which follows from them."""
