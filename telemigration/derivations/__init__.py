"""Symbolic derivations in SymPy: derivation chains, closed forms, implicit derivatives, LaTeX."""
