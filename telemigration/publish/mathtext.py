"""Prose with plain-text formulas, such as ``omega = 1/(tau z_S)``, rendered as LaTeX with inline math.

Step reasons, claim statements and details are written for the terminal, with
``omega``, ``tau^2`` and ``sqrt(t)`` spelled out. ``math_text`` finds the words
that are formulas, joins neighbouring ones into spans and typesets each span
in ``$...$``; the rest goes through ``escape_text``. The conversion is a
token-by-token rewrite with regular expressions: nothing is evaluated, and
SymPy never parses the text. A span that the rewrite cannot turn into LaTeX
with balanced braces prints as escaped text, so the output always compiles.
"""

from __future__ import annotations

import re

from telemigration.publish.tex import escape_text

# Names that print as a Greek letter or a LaTeX function.
_COMMANDS = {
    "alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu", "sigma", "tau", "omega", "ell",
    "Gamma", "Delta", "Theta", "Lambda", "Sigma", "Omega", "ln", "exp", "log",
}
# Single letters that are English words, or an x used as a times sign, not variables.
_ENGLISH_LETTERS = {"a", "I", "x"}

_IDENTIFIER = r"[A-Za-z][A-Za-z0-9]*"
# A word that is certainly a formula or part of one.
_FORMULA = re.compile(
    r"""^(?:
        .*(?:\^|\*\*|=|<|>).*                       # a power, an equation or an inequality
      | [-+/A-Za-z0-9().*]*[A-Za-z0-9)]_[A-Za-z0-9({].*  # a subscript such as z_S or tau_od
      | [-+]?[A-Za-z0-9().*_]+/[A-Za-z0-9(*][A-Za-z0-9().*_/]*  # a ratio such as 1/z or w/w*
      | [A-Za-z]\*                                  # a starred symbol such as L*
      | [A-Za-z]\*?\([^()\s]*\)\*?                  # a function value such as A(z) or s*(t)
      | sqrt\(.*
      | [a-z][A-Z]\*?                              # a product of two symbols such as wL
      | .*[A-Za-z].*\{.* | .*\{.*[A-Za-z].*        # a term grouped in braces, as in gamma{w* L*
    )$""",
    re.VERBOSE,
)
# Words that join a formula span only next to a formula word.
_CONNECTOR = re.compile(r"^(?:[-+=<>*/]|<=|>=|->|\(*[0-9]+(?:\.[0-9]+)?\)*)$")
# Punctuation after a formula that belongs to the sentence.
_TRAILING = re.compile(r"[.,;:]+$")


def _is_formula_word(word: str) -> bool:
    core = word.strip("()[]{}")
    if core in _COMMANDS:
        return True
    if len(core) == 1 and core.isalpha() and core not in _ENGLISH_LETTERS:
        return True
    # A Python name such as first_order or base_jobs_millions is a key, not a subscript.
    python_name = re.fullmatch(r"([a-z]{2,})_[A-Za-z0-9_.]{2,}", core)
    if python_name is not None and python_name.group(1) not in _COMMANDS:
        return False
    if not re.fullmatch(r"[A-Za-z0-9_^*/=<>+\-().|\[\]{}]+", word) or not re.search(r"[A-Za-z0-9]", word):
        return False
    # Hyphenated words (Cobb-Douglas, eq-2) are prose unless they also contain a formula sign.
    return bool(_FORMULA.match(word))


def math_text(text: str) -> str:
    """Return ``text`` as LaTeX, with each plain-text formula typeset as inline math."""
    tokens = _classify(_rewrite_equalities(str(text)))
    pieces: list[str] = []
    index = 0
    while index < len(tokens):
        kind, word = tokens[index]
        if kind == "text":
            pieces.append(escape_text(word))
            index += 1
            continue
        # A run of formula words, connectors and the spaces between them.
        end = index
        while end < len(tokens) and tokens[end][0] != "text":
            end += 1
        pieces.append(_run_latex(tokens[index:end]))
        index = end
    return "".join(pieces)


def _rewrite_equalities(text: str) -> str:
    """Rewrite SymPy's ``Eq(a, b)`` as ``a = b`` by matching brackets. An ``Eq(`` without its closing bracket stays."""
    result = []
    index = 0
    while True:
        start = text.find("Eq(", index)
        if start < 0 or (start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")):
            if start < 0:
                result.append(text[index:])
                return "".join(result)
            result.append(text[index:start + 3])
            index = start + 3
            continue
        depth, comma, end = 0, None, None
        for position in range(start + 2, len(text)):
            character = text[position]
            if character in "([":
                depth += 1
            elif character in ")]":
                depth -= 1
                if depth == 0:
                    end = position
                    break
            elif character == "," and depth == 1 and comma is None:
                comma = position
        if end is None or comma is None:
            result.append(text[index:])
            return "".join(result)
        result.append(text[index:start])
        result.append(f"{text[start + 3:comma].strip()} = {text[comma + 1:end].strip()}")
        index = end + 1


def _classify(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    for word in re.split(r"(\s+)", text):
        if not word:
            continue
        if word.isspace():
            tokens.append(("space", word))
            continue
        trailing = _TRAILING.search(word)
        core = word[: trailing.start()] if trailing else word
        if core and _is_formula_word(core):
            tokens.append(("formula", core))
        elif core and _CONNECTOR.match(core):
            tokens.append(("connector", core))
        elif core:
            tokens.append(("text", core))
        if trailing:
            tokens.append(("text", trailing.group()))
    return tokens


def _run_latex(run: list[tuple[str, str]]) -> str:
    if not any(kind == "formula" for kind, _ in run):
        return "".join(escape_text(word) for _, word in run)
    # Operators and spaces at either end stay in the prose; numbers stay in the formula.
    first = 0
    while run[first][0] == "space" or (run[first][0] == "connector" and not _has_digit(run[first][1])):
        first += 1
    last = len(run) - 1
    while run[last][0] == "space" or (run[last][0] == "connector" and not _has_digit(run[last][1])):
        last -= 1
    before = "".join(word for _, word in run[:first])
    after = "".join(word for _, word in run[last + 1:])
    middle = run[first:last + 1]
    latex = _formula_run_latex(middle)
    if latex is None:
        # The brackets of the whole run do not match, as in "a = f(b) (c^2 in ...":
        # typeset the longest prefix that works and go on with the rest.
        for end in range(len(middle) - 1, 0, -1):
            if middle[end - 1][0] == "space":
                continue
            prefix = _formula_run_latex(middle[:end])
            if prefix is not None:
                return escape_text(before) + prefix + _run_latex(middle[end:]) + escape_text(after)
        return escape_text(before) + escape_text(middle[0][1]) + _run_latex(middle[1:]) + escape_text(after)
    return escape_text(before) + latex + escape_text(after)


def _formula_run_latex(run: list[tuple[str, str]]) -> str | None:
    """Return the LaTeX of a run that starts and ends with a formula word or number, or None if it does not convert."""
    if not any(kind == "formula" for kind, _ in run):
        return None
    formula = "".join(word for _, word in run)
    before = after = ""
    # An opening bracket of the sentence, as in "(omega = tau/z with ...)", stays in the prose.
    for opening, closing in ("()", "[]"):
        while formula.startswith(opening) and formula.count(opening) > formula.count(closing):
            before, formula = before + opening, formula[1:]
        while formula.endswith(closing) and formula.count(closing) > formula.count(opening):
            formula, after = formula[:-1], closing + after
    latex = formula_latex(formula)
    if latex is None:
        return None
    return escape_text(before) + f"${latex}$" + escape_text(after)


def _has_digit(word: str) -> bool:
    return any(character.isdigit() for character in word)


def formula_latex(formula: str) -> str | None:
    """Rewrite a plain-text formula as LaTeX math, or return None when its brackets do not match.

    ``**`` and ``^`` become superscripts (a bracketed exponent loses its
    brackets), ``_X`` a subscript, ``sqrt(...)`` a root, a trailing ``*`` on a
    symbol a star superscript, and Greek names their letters.
    """
    text = formula.replace("**", "^").replace("omega-bar", r"\bar{omega}").replace("L_star", "L*")
    text = text.replace("<=", r" \le ").replace(">=", r" \ge ").replace("->", r" \to ")
    output: list[str] = []
    closers: list[str] = []
    index = 0
    while index < len(text):
        character = text[index]
        rest = text[index:]
        if rest.startswith("sqrt("):
            output.append(r"\sqrt{")
            closers.append("}")
            index += 5
        elif character in "^_" and index + 1 < len(text):
            following = text[index + 1]
            if following in "({":
                output.append(character + "{")
                closers.append("}")
                index += 2
            else:
                match = re.match(r"\*|[A-Za-z0-9.]+", text[index + 1:])
                if match is None:
                    return None
                token = match.group()
                token = token.rstrip(".")
                output.append(f"{character}{{{_identifier_latex(token)}}}")
                index += 1 + len(token)
        elif character == "(":
            output.append("(")
            closers.append(")")
            index += 1
        elif character == ")":
            if not closers or closers[-1] not in ")}":
                return None
            output.append(closers.pop())
            index += 1
        elif character == "*":
            previous = text[index - 1] if index > 0 else " "
            following = text[index + 1] if index + 1 < len(text) else " "
            # A star right after a symbol and not before an operand is a superscript
            # star (L*, w*), and so is a star between a letter and a bracketed
            # argument (s*(t)), which SymPy never prints for a product.
            starred_function = re.match(r"\*\([A-Za-z.]\)", rest) is not None and previous.isalpha()
            if starred_function or (
                (previous.isalnum() or previous == ")") and not (following.isalnum() or following in "(\\")
            ):
                output.append("^*")
            else:
                # A product may break across lines there, as after a binary operator.
                output.append(r"\,\allowbreak ")
            index += 1
        elif character == "\\":
            match = re.match(r"\\[A-Za-z]+", rest)
            if match is None:
                return None
            output.append(match.group() + " ")
            index += len(match.group())
        elif character.isalpha():
            match = re.match(_IDENTIFIER, rest)
            assert match is not None
            output.append(_identifier_latex(match.group()))
            index += len(match.group())
        elif character in "[{":
            # Brackets and braces in prose group terms, so they print as such.
            output.append("[" if character == "[" else r"\{")
            closers.append("]" if character == "[" else r"\}")
            index += 1
        elif character in "]}":
            # A "}" also closes a group opened by ^{ or _{.
            expected = ("]",) if character == "]" else (r"\}", "}")
            if not closers or closers[-1] not in expected:
                return None
            output.append(closers.pop())
            index += 1
        elif character in "%&#$~":
            return None
        elif character == "|":
            output.append(r"\lvert " if "|" not in text[index + 1:] or output.count(r"\lvert ") == output.count(r"\rvert ") else r"\rvert ")
            index += 1
        else:
            output.append(character)
            index += 1
    if closers:
        return None
    return "".join(output)


def _identifier_latex(name: str) -> str:
    if name in _COMMANDS:
        return "\\" + name + " "
    if re.fullmatch(r"[a-z][A-Z]", name):
        return name
    if len(name) > 1 and not name.isdigit() and not re.fullmatch(r"[0-9.]+", name):
        return rf"\mathrm{{{name}}}"
    return name
