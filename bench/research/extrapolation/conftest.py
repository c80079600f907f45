"""pytest setup: import this package from the folder; never write bytecode into /work/main."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
