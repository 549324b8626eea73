"""Recognising secrets in string values, naming the variable that should hold them, masking them.

:func:`hffix.secrets.classify.classify` judges a value together with the name it is held
under; :func:`hffix.secrets.classify.mask` gives a printable stand-in;
:func:`hffix.secrets.redact.redact` masks values in a rendered patch. Nothing here ever
prints or logs a value.

The package re-exports nothing: import from the submodule that defines a name. Every rule
reads :mod:`hffix.secrets.names`, and importing it must not load the classifier and the
redactor at every start (``tests/test_cli_startup.py``).

>>> from hffix.secrets.classify import classify, mask
>>> classify("changeme", "SECRET_KEY") is None
True
>>> classify("s3cr3t-Value!", "SECRET_KEY").verdict.value
'safe'
>>> mask("sk-proj-abcdefghijklmnop9o")
'sk-p…9o'
"""
