"""verify-derivations: check handwritten backpropagation derivations line by line."""

__version__ = "0.1.0"
