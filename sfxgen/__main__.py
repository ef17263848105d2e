import sys

from sfxgen.cli import main

sys.exit(main())
