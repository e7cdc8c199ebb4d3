"""A fake google.colab for running the printed cell in a subprocess (tests only)."""
