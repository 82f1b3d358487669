"""lineup: car makers' model lineups per brand and market over time."""

__version__ = "0.1.0"
