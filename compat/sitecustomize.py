"""Installs the sandbox redirect in every Python process started with this directory on
PYTHONPATH and ``SCRATCHKIT_SANDBOX=HOST:PORT`` in the environment."""

try:
    import redirect as _scratchkit_redirect

    _scratchkit_redirect.install_from_env()
except ImportError:  # requests missing: nothing to redirect
    pass
