"""The composition root: builds the kernel with every package's contributions.

Entry points start here: the ``mizan`` command (``app.cli``), the WSGI app
(``app.wsgi``) and the worker (``mizan run-worker``). Importing the package
installs ``build_kernel`` as the kernel factory, so worker tasks that call
``mizan.kernel.process_kernel()`` get a fully wired kernel.
"""

from __future__ import annotations

from app.bootstrap import build_kernel
from mizan.kernel import set_kernel_factory

set_kernel_factory(build_kernel)

__all__ = ["build_kernel"]
