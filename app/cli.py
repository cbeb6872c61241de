"""The ``mizan`` command line: the root's own commands plus every package's registered ones."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from app.bootstrap import registry
from mizan.commands import command_kernel
from mizan.settings import SettingsError, load_settings


@click.group()
def main() -> None:
    """Mizan: case management and monitoring for the prosecution service."""


@main.command()
def init() -> None:
    """Create the data directory, database tables and search index (safe to repeat)."""
    from app.schema import ensure_schema
    from casefiles.derived import refresh_derived_fields
    from mizan import outbox
    from search.backends import prepare_rebuild, search_index
    from search.indexing import reindex_all

    kernel = command_kernel()
    ensure_schema(kernel)
    stale = prepare_rebuild(kernel.settings)  # an upgrade changed the index layout
    refreshed = refresh_derived_fields(kernel)
    if refreshed:
        click.echo(f"Brought {refreshed} stored cases up to date with new index fields.")
    if stale:
        click.echo(
            "The search index was built by another version of Mizan: rebuilding it from the "
            "store (a large installation takes minutes)..."
        )
        count = reindex_all(kernel)
        outbox.drain(kernel)
        click.echo(f"Search index rebuilt from the store ({count} documents).")
    _ok, detail = search_index(kernel).ping()
    click.echo(f"Data directory: {kernel.settings.data_dir}")
    click.echo(f"Store: {kernel.store.ping()[1]}")
    click.echo(f"Search index: {detail}")


@main.command("create-user")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name as shown in Mizan.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="Role (repeatable): admin, prosecutor_general, district_public_prosecutor, "
    "prosecutor, clerk, trainer, supervisor.",
)
@click.option("--district", default=None, help="District code, e.g. KHI-S.")
@click.password_option(help="Prompted for when not given.")
def create_user_cmd(
    username: str, full_name: str, roles: tuple[str, ...], district: str | None, password: str
) -> None:
    """Create a user account."""
    from mizan.accounts.service import AccountError, create_user
    from mizan.actor import SYSTEM

    kernel = command_kernel()
    try:
        user = create_user(
            kernel,
            SYSTEM,
            username=username,
            full_name=full_name,
            password=password,
            roles=list(roles),
            district=district,
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created user {user.username} ({', '.join(user.roles)}).")


@main.command("seed-demo")
@click.option(
    "--province",
    is_flag=True,
    help="Also add a small province: ~40 prosecutors, 2,000 cases in every stage, hearings, "
    "court postings and holidays (skipped when there are already 2,000 cases).",
)
def seed_demo(province: bool) -> None:
    """Add demo districts, one account per role and a few cases (idempotent)."""
    from app.demo import DEMO_PASSWORD, seed, seed_province
    from app.schema import ensure_schema
    from library.seed import seed_library

    kernel = command_kernel()
    ensure_schema(kernel)
    accounts = seed(kernel)
    library = seed_library(kernel)
    click.echo(
        f"Library ({library.source}): {library.sections} PPC sections, "
        f"{library.judgments} judgments."
    )
    if province:
        result = seed_province(kernel)
        if result is None:
            click.echo("Province demo data already present.", err=True)
        else:
            click.echo(
                f"Province demo data: {result.cases:,} cases, {result.hearings:,} hearings, "
                f"{result.prosecutors_created} prosecutors, {result.postings} court postings "
                f"in {result.seconds:.1f} s.",
                err=True,
            )
    from app.demo_learning import seed_demo_course
    from learning.demo_training import seed_demo_training

    if seed_demo_course(kernel):
        click.echo("Learning: the trainer's ATA course with three lessons and a quiz.")
    # After the course is published: it is assigned in Karachi South.
    enrolled = seed_demo_training(kernel)
    if enrolled:
        click.echo(f"Training: the demo course assigned to {enrolled} prosecutors.")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for username, roles in accounts:
        click.echo(f"  {username:<14} {roles}")


@main.command("run-worker")
@click.option("--concurrency", "-c", default=2, show_default=True, help="Worker processes.")
@click.option(
    "--queues",
    "-Q",
    type=click.Choice(["all", "interactive", "bulk"]),
    default="all",
    show_default=True,
    help="Which work to take: interactive (uploads, index updates after an edit), bulk "
    "(library imports, searchable PDFs) or both. `make run` starts one interactive worker "
    "and one for all, so an upload never waits behind an import.",
)
def run_worker(concurrency: int, queues: str) -> None:
    """Run a background worker (OCR, extraction, indexing)."""
    from mizan import worker

    kernel = command_kernel()
    worker.configure(kernel.settings)
    names = {
        "all": worker.QUEUES,
        "interactive": (worker.INTERACTIVE_QUEUE,),
        "bulk": (worker.BULK_QUEUE,),
    }[queues]
    worker.app.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            f"--queues={','.join(names)}",
            f"--hostname={queues}-%h-{os.getpid()}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@main.command("audit-verify")
def audit_verify() -> None:
    """Check the audit trail's hash chain; exits 1 naming the first bad entry."""
    from mizan.audit import verify

    result = verify(command_kernel().store)
    if result.ok:
        click.echo(f"Audit trail intact: {result.checked} entries checked.")
        return
    click.echo(f"AUDIT TRAIL BROKEN: {result.problem}", err=True)
    sys.exit(1)


@main.command()
def reseal() -> None:
    """Seal stored secrets with the newest key of MIZAN_ENCRYPTION_KEYS (key rotation):
    authenticator secrets, protected witnesses' identities and webhook secrets."""
    from casefiles.protected_identities import reseal_protected
    from mizan.accounts.integrations import reseal_webhook_secrets
    from mizan.accounts.two_factor import reseal as reseal_secrets
    from mizan.sealing import SealError

    kernel = command_kernel()
    try:
        accounts = reseal_secrets(kernel)
        cases = reseal_protected(kernel)
        webhooks = reseal_webhook_secrets(kernel)
    except SealError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Re-sealed with the newest key: the authenticator secrets of {accounts} accounts, "
        f"the protected witnesses of {cases} cases and {webhooks} webhook secrets."
    )


@main.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup(dest: Path) -> None:
    """Write a consistent snapshot (database, files, search index) to DEST."""
    from mizan.backup import make_backup

    try:
        manifest = make_backup(command_kernel(), dest)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(manifest, indent=2))


@main.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace existing data in the data directory.")
def restore(src: Path, force: bool) -> None:
    """Restore a snapshot made by ``mizan backup`` into the data directory."""
    from mizan.backup import restore_backup

    try:
        settings = load_settings()
        manifest = restore_backup(settings, src, force=force)
    except (SettingsError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored backup of {manifest['created_at']} into {settings.data_dir}.")
    click.echo(
        "A backup holds no secret key: unless MIZAN_SECRET_KEY is set as before, copy "
        "secret_key from the old data directory before starting Mizan."
    )


for _command in registry().commands:
    main.add_command(_command)


if __name__ == "__main__":
    main()
