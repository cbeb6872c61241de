"""What every ``mizan`` command shares, wherever its package defines it."""

from __future__ import annotations

import click

from mizan.kernel import Kernel, new_kernel, set_process_kernel
from mizan.settings import SettingsError, load_settings


def command_kernel() -> Kernel:
    """The kernel a command works on, built from the environment by the root's factory.

    It becomes the process kernel too, so work the command runs inline (a task body)
    uses it; a settings error is a readable command error, not a traceback.
    """
    try:
        kernel = new_kernel(load_settings())
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    set_process_kernel(kernel)
    return kernel
