"""Grading answers by meaning: embedding backend, scorer, feedback texts and batch grading.

Importing this package loads no model and imports neither torch nor sentence-transformers;
`assistant.grading.pipeline.load_grader` does, and is meant to run in a worker thread.
"""
