"""Command-line tools for the recipe collection."""
