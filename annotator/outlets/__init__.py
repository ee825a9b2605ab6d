"""Outlets: the registry of who publishes and who stands behind them, and publisher identification."""

from annotator.outlets.registry import OutletEntry, OutletRegistry, default_registry

__all__ = ["OutletEntry", "OutletRegistry", "default_registry"]
