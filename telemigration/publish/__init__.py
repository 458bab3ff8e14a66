"""Publishing: the LaTeX document, the figures from the model and the PDF report.

``document`` builds ``telemigration.tex`` from the SymPy objects the solver
uses; ``figures`` draws the figures of Baldwin and Dingel (2021), section 5, from the model with matplotlib;
``report`` puts the claims, derivations, figures and Table 4.4 into a PDF.
Files are written atomically (``atomic``) and long steps show progress on a
terminal only (``progress``).
"""
