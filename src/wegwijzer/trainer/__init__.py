"""The trainers' tools: a review page (router), the verdict store, the training-day report and the export of
verdicts into regression cases in eval/data/."""
