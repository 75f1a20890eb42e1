"""Stories and events across articles: online story clustering
(clustering), near-duplicate detection (minhash), event merging (merge)."""
