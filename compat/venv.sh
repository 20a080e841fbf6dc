# Sourced by run.sh and parity.sh: creates compat/.venv (once) from requirements.txt and
# reinstalls when requirements.txt changes. Expects COMPAT and VENV to be set.
if [ ! -x "$VENV/bin/python" ]; then
    echo "compat: creating $VENV" >&2
    "${PYTHON:-python3}" -m venv "$VENV"
fi
if ! cmp -s "$COMPAT/requirements.txt" "$VENV/.installed-requirements" 2>/dev/null; then
    echo "compat: installing compat/requirements.txt" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$COMPAT/requirements.txt"
    cp "$COMPAT/requirements.txt" "$VENV/.installed-requirements"
fi
