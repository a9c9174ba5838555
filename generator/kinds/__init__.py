"""Question kinds: each kind is one module of this package, registered once, and every output
reaches it through its registration (`contract.Kind`).

This file stays light (the command line's `--help` imports nothing of a kind): the contract is
`generator.kinds.contract`, the registry of the built-in kinds `generator.kinds.registry`. How to
add a kind: docs/contributing/kinds.md.
"""

# The built-in kinds' names, in their order, for the command line (`--kind`, `--points`), which reads
# no kind; generator/kinds/registry.py registers them and checks this list says the same.
BUILT_IN = ("qa", "cloze", "mcq", "truefalse", "order", "attribution")
