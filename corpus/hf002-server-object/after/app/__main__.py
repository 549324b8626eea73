"""python -m app"""
