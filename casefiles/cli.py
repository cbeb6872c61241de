"""Case files' ``mizan`` commands: seed a province's worth of cases, send reminders."""

from __future__ import annotations

import click

from mizan.commands import command_kernel


@click.command("seed-scale")
@click.option("--cases", "count", type=click.IntRange(min=1), required=True, help="How many.")
@click.option("--seed", default=0, show_default=True, help="Same seed, same cases.")
def seed_scale_cmd(count: int, seed: int) -> None:
    """Add N synthetic cases (and ~40 prosecutors) to try Mizan at a province's scale."""
    from casefiles.scale import ScaleError, seed_scale

    kernel = command_kernel()
    try:
        result = seed_scale(
            kernel,
            count,
            seed=seed,
            progress=lambda done, total: click.echo(f"  {done:,}/{total:,}", err=True),
        )
    except ScaleError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Added {result.cases:,} cases in {result.seconds:.1f} s "
        f"({result.cases_per_second:,.0f} cases/s); "
        f"{result.prosecutors_created} prosecutor accounts created."
    )


@click.command()
@click.option(
    "--every",
    type=click.IntRange(min=60),
    default=None,
    help="Keep running, once every this many seconds (e.g. 3600); without it, run once.",
)
def remind(every: int | None) -> None:
    """Notify prosecutors of deadlines due soon or just missed and of tomorrow's hearings
    (and whatever other packages registered, e.g. courses due).

    Safe to repeat and to run on several machines: nothing is announced twice.
    """
    import time

    from casefiles.reminders import send_reminders

    kernel = command_kernel()
    while True:
        run = send_reminders(kernel)
        more = "".join(
            f", {send(kernel)} about {topic}" for topic, send in kernel.registry.reminders.items()
        )
        click.echo(
            f"Reminders sent: {run.deadlines} about deadlines, {run.hearings} about hearings"
            f"{more}.",
        )
        if every is None:
            return
        time.sleep(every)
