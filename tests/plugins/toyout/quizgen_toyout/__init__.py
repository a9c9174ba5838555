"""A toy quizgen output: `<slug>-toy.html`, a printable page of the article's question ids, and
`<slug>-toy-answers.txt`, for the teacher (see docs/contributing/outputs.md)."""

from html import escape

from generator.builders import Builder, Output, register


@register
class ToyBuilder(Builder):
    name = "toy"
    format = "toy page of the questions (<slug>-toy.html) and its answers (<slug>-toy-answers.txt)"
    outputs = ("{slug}-toy.html", "{slug}-toy-answers.txt")

    @classmethod
    def links(cls, slug, names, language, teacher):
        wanted = [("Toy page", f"{slug}-toy.html")] + ([("Toy answers", f"{slug}-toy-answers.txt")] if teacher else [])
        return [(label, name) for label, name in wanted if name in names]

    @classmethod
    def is_teacher_file(cls, name):
        return name.endswith("-toy-answers.txt")

    def build(self, found, options):
        slug, title = found.article.slug, escape(found.article.meta.title)
        items = "".join(f"<li>{escape(q.id)} ({q.kind})</li>" for q in found.questions)
        page = f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body><h1>{title}</h1><ol>{items}</ol></body></html>"
        answers = "".join(f"{q.id}\t{q.kind}\n" for q in found.questions)
        return [Output(f"{slug}-toy.html", page.encode(), printable=True), Output(f"{slug}-toy-answers.txt", answers.encode())]
