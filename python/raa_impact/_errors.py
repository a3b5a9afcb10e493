"""Typed exceptions. They are raised by the Rust core and defined there, so that a Rust error
crosses into Python as one of these and never as a panic.

* ``RaaImpactError`` (a ``ValueError``): the base class.
* ``DataError``: the input data break a rule. Attributes ``file``, ``table``, ``row``, ``column``
  and ``rule`` say where and which (``None`` when not known).
* ``RegistryError``: the RAA registry is inconsistent.
* ``ArgumentError``: an option passed to a function is invalid.
* ``InternalError``: a bug in raa-impact (a Rust panic caught at the boundary); please report it.
"""
from ._core import ArgumentError, DataError, InternalError, RaaImpactError, RegistryError

__all__ = ["RaaImpactError", "DataError", "RegistryError", "ArgumentError", "InternalError"]
