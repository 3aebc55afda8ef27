"""What every package may use and nothing else provides: the error base, the counter's clock,
and the process start-up that pins thread pools. It imports no other package of the project."""
