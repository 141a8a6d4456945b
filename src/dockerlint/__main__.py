import sys

from dockerlint.cli import main

sys.exit(main())
