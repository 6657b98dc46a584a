"""Statement extraction: a linked spaCy Doc -> n-ary statements with evidence.

`statements.extract_statements` is the entry point; one module per fact family (each ending
with its `SPEC`), listed in `registry.py`. This package's own module runs no code, so importing
one family never loads the others (tests/test_architecture.py holds the graph acyclic).
"""
