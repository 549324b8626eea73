"""Recognising secrets in string values, naming the variable that should hold them, masking them.

:func:`classify` judges a value together with the name it is held under (see
:mod:`hffix.secrets.classify`); :func:`mask` gives a printable stand-in; :func:`redact`
masks values in a rendered patch. Nothing here ever prints or logs a value.

>>> classify("changeme", "SECRET_KEY") is None
True
>>> classify("s3cr3t-Value!", "SECRET_KEY").verdict.value
'safe'
>>> mask("sk-proj-abcdefghijklmnop9o")
'sk-p…9o'
"""

from hffix.secrets.classify import Detection, Verdict, classify, is_distinctive, mask
from hffix.secrets.names import NameSignal, env_name, signal
from hffix.secrets.redact import redact

__all__ = [
    "Detection",
    "NameSignal",
    "Verdict",
    "classify",
    "env_name",
    "is_distinctive",
    "mask",
    "redact",
    "signal",
]
