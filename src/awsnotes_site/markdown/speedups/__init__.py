"""Fast paths: the same tokens and HTML as markdown-it's and Pygments' own code, sooner.

Each module replaces one stock piece and says what it does differently; every one is
compared with the stock code in tests/test_render_fastpaths.py. ``create_markdown``
installs them unless ``dispatch=False``. Their tables are owned by the parser (or the
lexer) they were installed on: nothing here keeps a parser alive.
"""
