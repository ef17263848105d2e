"""sfxgen: prompt to delivery-ready sound effects.

Heavy modules (torch, transformers, faiss, gradio) are imported lazily by the sub-packages
that need them, so ``import sfxgen`` and the CLI start fast.
"""

__version__ = "0.1.0"

from sfxgen.errors import SfxgenError  # noqa: E402,F401
