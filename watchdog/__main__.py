"""`python -m watchdog` runs the same CLI as the `colab-watchdog` command."""

import sys

from watchdog.cli.main import main

sys.exit(main())
