"""Claims of Baldwin and Dingel (2021), each checked by computation, and the registry."""

from telemigration.claims.registry import Claim, ClaimResult, Status, Verdict, all_claims, claim, evaluate_all

__all__ = ["Claim", "ClaimResult", "Status", "Verdict", "all_claims", "claim", "evaluate_all"]
