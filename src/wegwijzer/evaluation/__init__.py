"""The quality benchmark: dev sets in eval/data/, each with a frozen `test` split that is never tuned on."""
