"""The sfxgen web UI (Gradio). ``build_app(service)`` and ``launch(service, ...)`` live in
:mod:`ui.app`; they are loaded lazily so importing ``ui`` does not import gradio."""

__all__ = ["build_app", "launch", "Handlers"]


def __getattr__(name):
    if name in __all__:
        from ui import app

        return getattr(app, name)
    raise AttributeError(name)
