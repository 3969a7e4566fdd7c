"""Offline mock-interview coach for the terminal."""
