"""Bundled assignments; installed as ``verifier.derivations`` so they ship in the wheel."""
