"""The `meridian` ops commands, one module per command group (see meridian_ops.cli)."""
