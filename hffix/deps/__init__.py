"""Dependency knowledge: Python 3.10's standard library, import -> distribution, manifests."""
