"""Vendored geometry helpers."""
