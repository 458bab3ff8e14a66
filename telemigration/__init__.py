"""A symbolic-numeric workbench for Baldwin and Dingel (2021), "Telemigration and development".

Subpackages form the pipeline: ``models`` (the economics), ``derivations``
(SymPy), ``solvers`` (JAX), and ``claims`` (the paper's claims, each checked).
"""

__version__ = "0.1.0"
