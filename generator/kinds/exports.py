"""The built-in kinds' writers in the LMS exports, by name: a kind's registration gives them in its
`handlers`, as `"module:function"` text that the export resolves when it asks (the exports import the
kinds, so a kind module cannot import them). A kind from outside quizgen gives its own functions.

Each export module (generator/outputs/exports/) writes a question by its shape: `write_qa`,
`write_cloze`, `write_choice` (a multiple choice or an attribution), `write_truefalse`, `write_order`.
"""

from __future__ import annotations

# the exports that ask a kind for its writer: their module, and the name they ask by
EXPORTS = {
    "gift": "GIFT export", "moodle": "Moodle XML export", "qti": "QTI 3.0 export",
    "canvas": "QTI 1.2 (Canvas) export", "flashcards": "flashcard CSV export",
}


def export_writers(shape: str) -> dict[str, str]:
    """A built-in kind's `handlers`: each export's `write_<shape>`."""
    return {owner: f"generator.outputs.exports.{module}:write_{shape}" for module, owner in EXPORTS.items()}
