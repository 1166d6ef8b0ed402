"""Pure legal-domain logic: numerals, citations, statute and case parsers, taxonomy.

No I/O and no heavy imports happen here, so the CLI and tests can use it cheaply.
"""
