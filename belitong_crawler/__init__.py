"""Belitong Ekspres crawler."""
