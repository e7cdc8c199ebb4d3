"""Benchmarks of colab-watchdog against the simulated Colab: `.venv/bin/python -m bench`."""
