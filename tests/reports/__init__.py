"""Tests of the exported reports."""
